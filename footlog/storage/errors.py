"""footlog's storage errors and the plain sentences that explain them.

Kept apart from `database` so that the command line can catch and word them without
importing sqlite-utils (a tenth of a second of every command's start, which `footlog measure
PHOTO` never needs).
"""

from __future__ import annotations

import errno
import re
import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another process's transaction


class LibraryError(Exception):
    """A library cannot be opened or used; the message says why in plain words."""


class LibraryReadOnlyError(LibraryError):
    """The library can be read but not changed (permissions, damage); the message says why."""


def storage_error(exc: BaseException, where: Path | str) -> LibraryError:
    """One plain sentence for an SQLite or file-system error met while using a library."""
    text = str(exc).lower()
    err = getattr(exc, "errno", None)
    if "readonly" in text or "read-only" in text or err in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LibraryReadOnlyError(
            f"the library at {where} cannot be written (read-only file, folder or disk): "
            "check its permissions; nothing was changed"
        )
    if "full" in text or err in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return LibraryError(
            f"the disk holding {where} is full (or the file system refused to write): free "
            "some space and try again; nothing was half-written"
        )
    if "locked" in text or "busy" in text:
        return LibraryError(
            f"the library at {where} stayed busy with another footlog for "
            f"{BUSY_TIMEOUT_MS // 1000} s: try again when it has finished"
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return LibraryError(damaged_message(where, str(exc)))
    if "disk i/o" in text or err == errno.EIO:
        return LibraryError(
            f"the disk holding {where} failed to read or write ({exc}): nothing was "
            "half-written; check the disk (or free space) and try again"
        )
    return LibraryError(f"the library at {where} could not be used ({exc})")


#: Lone surrogates: how Python holds the bytes of a file name or argument that are not UTF-8.
LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def storable(value: object) -> object:
    """`value`, with any lone surrogate of a text replaced by U+FFFD (see `execute`)."""
    if isinstance(value, str) and LONE_SURROGATES.search(value):
        return LONE_SURROGATES.sub("\ufffd", value)
    return value


def damaged_message(where: Path | str, detail: str) -> str:
    return (
        f"the library's database at {where} is damaged ({detail}). It can be read but not "
        "changed: run `footlog check` to see what is wrong, then restore your latest backup "
        "(`footlog restore BACKUP.zip NEW_FOLDER`) or copy a footlog.db.before-migration-* "
        "file back"
    )


#: What a call into storage may raise: footlog's own `LibraryError` (with plain words) for
#: every failure it recognises, and the file system's or SQLite's own error for the rest.
#: The window catches these, so that it never needs to know storage is SQLite.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (LibraryError, sqlite3.Error, OSError)
