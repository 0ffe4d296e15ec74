"""Congress models: sessions."""

__all__: list[str] = []
