"""The service's log: one line per record, whatever a value in it holds.

A value from a request or a policy (a pattern name, an error quoting a roster file) may hold a newline;
written as is it would forge a second log line. Every control character is escaped instead.
"""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, 0x85]} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


class OneLineFormatter(logging.Formatter):
    """Formats as usual, then escapes control characters so that a record is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).translate(_ESCAPES)


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr (the journal, or the console) through OneLineFormatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(LOG_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
