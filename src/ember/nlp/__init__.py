"""nlp stage."""

__all__: list[str] = []
