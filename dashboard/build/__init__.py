"""Reproducible builds of generated data (`python -m dashboard.build.layers` writes
geodata/layers/)."""
