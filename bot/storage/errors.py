"""The errors of the storage package."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be opened or used. The message says what to do."""


class StorageBusy(StorageError):
    """Another program held the database's write lock for longer than the busy timeout.

    Nothing was written; the connection is clean and the next write may succeed.
    """
