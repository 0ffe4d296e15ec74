"""Congress models: inspections."""

__all__: list[str] = []
