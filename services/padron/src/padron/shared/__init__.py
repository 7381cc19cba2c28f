"""What every aggregate of the padrón shares: errors, the caller's scope, the access log, CSV, route helpers."""
