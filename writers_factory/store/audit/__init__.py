"""The audit trail of the project's transitions (``.session/audit.jsonl``)."""
