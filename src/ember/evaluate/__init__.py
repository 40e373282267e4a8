"""evaluate stage: ember's own quality harness (figures, not pass/fail)."""

from .text import evaluate_text, format_text_table

__all__ = ["evaluate_text", "format_text_table"]
