"""Models of core.workflow (filled in by the mechanism)."""

__all__: list[str] = []
