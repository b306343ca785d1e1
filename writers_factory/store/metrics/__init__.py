"""Operational metrics of the project, kept as they happen (``.session/metrics.json``)."""
