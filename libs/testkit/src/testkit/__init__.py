"""Steps through the public API that tests and benchmarks share (never imported by the system)."""
