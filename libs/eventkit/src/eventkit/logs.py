"""Structured logging: snake_case events with bound ids; never personal data."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str = "INFO") -> None:
    """Key=value lines on stderr, one per event."""
    logging.basicConfig(stream=sys.stderr, level=level, format="%(message)s")
    logging.getLogger().setLevel(level)  # basicConfig is a no-op when a library configured logging first
    for chatty in ("httpx", "mail.log"):  # one line per request or SMTP command
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # aiokafka narrates every reconnect attempt at ERROR with a traceback; our own
    # health and start-up messages say what is wrong in one line instead.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info,
            structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"], drop_missing=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
