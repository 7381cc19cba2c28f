"""Composition root: the embedded run, the distributed run and operator commands."""
