"""The scoped views: summaries, the district list, one beneficiary, padrón categories, CSV exports, the access log."""
