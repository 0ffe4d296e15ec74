"""Models of core.workdays (filled in by the mechanism)."""

__all__: list[str] = []
