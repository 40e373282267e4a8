"""analyze stage."""

__all__: list[str] = []
