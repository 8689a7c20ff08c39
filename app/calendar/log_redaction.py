"""Keep calendar feed tokens out of the logs.

A feed's address is its only credential, and request logs print paths: werkzeug's development
server, gunicorn's access log, and the app's own log of an unexpected error. A filter on those
loggers (and on the root logger's handlers, for records that propagate there) rewrites
"/calendar/<token>.ics" to "/calendar/[token].ics" before anything is written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask

REDACTED = "/calendar/[token].ics"
# A feed address (or a truncated, mistyped one: any long segment under /calendar/).
_FEED_PATH = re.compile(r"/calendar/(?:[^\s/?#\"'\[\]]+\.ics|[A-Za-z0-9_-]{20,})")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """The text with every feed token replaced."""
    return _FEED_PATH.sub(REDACTED, text)


def _redacted(value: Any) -> Any:
    """A string argument redacted; anything else unchanged."""
    return redact(value) if isinstance(value, str) else value


class FeedTokenFilter(logging.Filter):
    """Rewrites feed tokens in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place (gunicorn's arguments are a dict whose class answers for missing
        keys, so it is changed, not replaced)."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_redacted(value) for value in args)
        elif isinstance(args, Mapping) and hasattr(args, "__setitem__"):
            for key, value in list(args.items()):
                if isinstance(value, str) and _FEED_PATH.search(value):
                    args[key] = redact(value)  # type: ignore[index]
        return True


def _add_once(target: logging.Logger | logging.Handler) -> None:
    """Add the filter unless this logger or handler has it already."""
    if not any(isinstance(existing, FeedTokenFilter) for existing in target.filters):
        target.addFilter(FeedTokenFilter())


def init_logging(app: Flask) -> None:
    """Install the filter on the request loggers, the app's logger and the root's handlers."""
    for name in LOGGERS:
        _add_once(logging.getLogger(name))
    _add_once(app.logger)
    for handler in logging.getLogger().handlers:
        _add_once(handler)
