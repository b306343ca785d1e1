"""The Textual workspace: the only package that imports Textual.

Importing it holds the cycle collector back until the workspace has started
(``gc_policy.py``): the import and the start build long-lived objects by the hundred
thousand, and the collections they set off took a quarter of the time to the first keystroke.
"""

from writers_factory.tui import gc_policy

gc_policy.hold()
