"""web stage."""

__all__: list[str] = []
