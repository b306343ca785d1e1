"""Widgets of the workspace: stage bar, breadcrumbs, project tree, editor tabs."""
