"""Citizen look-up, register of authorities, accounts, credentials, tokens."""
