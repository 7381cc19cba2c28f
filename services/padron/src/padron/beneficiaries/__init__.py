"""Beneficiaries: the record, affiliation by programme staff, status changes."""
