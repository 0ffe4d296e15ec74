"""Models of core.search (filled in by the mechanism)."""

__all__: list[str] = []
