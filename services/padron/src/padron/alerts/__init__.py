"""Alerts: a local government reports something about a beneficiary of its district; staff attend it."""
