"""The manuscript side of the store: files on disk, the recovery journal, trash and versions."""
