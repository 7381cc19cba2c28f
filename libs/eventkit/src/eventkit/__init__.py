"""Shared messaging kit: outbox, relay, inbox, dead letters, migrations, settings."""

from eventkit.errors import DependencyUnavailableError

__all__ = ["DependencyUnavailableError"]
