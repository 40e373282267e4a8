"""``ember review``: accept, reject and edit events and claims from the shell (batch
work), and write the audit trail. The store side is ``ember.store.Reviews``."""

from .cli import review, write_review_log

__all__ = ["review", "write_review_log"]
