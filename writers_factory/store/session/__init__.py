"""``current.json`` (where the writer is), and the lock that makes one process its writer."""
