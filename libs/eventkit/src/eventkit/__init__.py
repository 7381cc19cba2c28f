"""Shared messaging kit: outbox, relay, inbox, dead letters, migrations, settings."""
