"""Affiliation requests: proposed by a local government, qualified by programme staff."""
