"""Whole-project backups that leave the project: one checked archive per backup, kept in a
folder outside the project and thinned by a retention policy."""
