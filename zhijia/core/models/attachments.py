"""Models of core.attachments (filled in by the mechanism)."""

__all__: list[str] = []
