"""The workspace's controllers: saving, shutdown, AI, workflows, file actions, watching and
writing activity.

Each receives the :class:`~writers_factory.tui.workspace.Workspace` (the store objects and
the open documents) and a :class:`~writers_factory.tui.controllers.ports.UI` (what it may ask
of the interface) in its constructor. None imports the app module: ``tui/app.py`` composes
widgets, binds keys and forwards events to them.
"""
