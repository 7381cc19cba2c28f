"""Imports: beneficiaries in bulk from a CSV (all or none), and the synthetic padrón for demos and benchmarks."""
