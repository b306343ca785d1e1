"""Screens of the workspace: the file modals and the stage definitions."""
