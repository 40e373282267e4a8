"""watch stage: ``ember watch``, polling feeds, folders and URLs after analysis, with
alert rules (docs/watch.md)."""

from .deliver import Delivery, alert_json
from .match import Alert, alerts_for
from .rules import Near, Rule, load_rules, parse_rules
from .run import run_watch
from .watch import ConditionalFetcher, PollSummary, SourceReport, Watch, parse_interval

__all__ = [
    "Alert",
    "ConditionalFetcher",
    "Delivery",
    "Near",
    "PollSummary",
    "Rule",
    "SourceReport",
    "Watch",
    "alert_json",
    "alerts_for",
    "load_rules",
    "parse_interval",
    "parse_rules",
    "run_watch",
]
