"""evaluate stage."""

__all__: list[str] = []
