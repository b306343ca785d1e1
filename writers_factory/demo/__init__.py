"""``writers-factory demo``: a project built from a public-domain novel, a session written
through the store, operations logged, a writer killed mid-session and recovered.

Imports neither the interface nor the model libraries: the demo shows the store at work.
"""
