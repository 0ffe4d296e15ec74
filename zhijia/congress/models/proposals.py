"""Congress models: proposals."""

__all__: list[str] = []
