"""extract stage."""

__all__: list[str] = []
