"""Beneficiaries, padrón versions, collection authorizations, alerts and FAD."""
