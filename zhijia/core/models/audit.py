"""Models of core.audit (filled in by the mechanism)."""

__all__: list[str] = []
