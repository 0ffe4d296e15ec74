"""Models of core.notify (filled in by the mechanism)."""

__all__: list[str] = []
