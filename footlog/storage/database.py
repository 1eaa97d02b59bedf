"""Opening a library database: pragmas, checks, write transactions, backup, migrations.

Every write goes through `LibraryDatabase.atomic()`, which starts `BEGIN IMMEDIATE`: a write
transaction that first read under a deferred `BEGIN` cannot be upgraded in WAL mode once
another process has committed (SQLite answers "database is locked" at once, whatever the
busy timeout), so two imports into one library would kill one of them. Taking the write
lock first makes the second writer wait its turn instead.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database

from footlog.storage.errors import (
    BUSY_TIMEOUT_MS,
    LONE_SURROGATES,
    STORAGE_ERRORS,
    LibraryError,
    LibraryReadOnlyError,
    damaged_message,
    storable,
    storage_error,
)
from footlog.storage.schema import MIGRATIONS

__all__ = [  # the errors' names are re-exported: callers import them from here
    "BUSY_TIMEOUT_MS",
    "LONE_SURROGATES",
    "STORAGE_ERRORS",
    "LibraryDatabase",
    "LibraryError",
    "LibraryReadOnlyError",
    "backup_database",
    "connect",
    "damaged_message",
    "inserted_id",
    "one_line",
    "open_database",
    "pending_migrations",
    "quick_check",
    "storable",
    "storage_error",
    "write_problem",
]

class LibraryDatabase(Database):
    """A sqlite-utils database whose write transactions take the write lock first.

    `read_only_reason`, when set, makes every write refuse with that sentence before it
    touches anything: a damaged or read-only library stays readable.
    """

    read_only_reason: str | None = None
    where: Path | str = ""

    def ensure_writable(self) -> None:
        if self.read_only_reason:
            raise LibraryReadOnlyError(self.read_only_reason)

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """Run one statement; text parameters that UTF-8 cannot encode are stored readably.

        Python keeps the undecodable bytes of file names and command-line words as lone
        surrogates, which SQLite refuses; each becomes U+FFFD instead (the name is for the
        person to read, never used to find the file again).
        """
        if isinstance(parameters, dict):
            parameters = {k: storable(v) for k, v in parameters.items()}
        elif parameters is not None:
            parameters = [storable(v) for v in parameters]
        return super().execute(sql, parameters)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LibraryDatabase]:
        """A write transaction (a savepoint when nested), started with BEGIN IMMEDIATE."""
        self.ensure_writable()
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise storage_error(exc, self.where) from exc
        try:
            yield self
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            # Whatever SQLite refused (a full disk, a lock, damage, a broken constraint),
            # the write is undone and said in footlog's words.
            self.rollback()
            raise storage_error(exc, self.where) from exc
        except BaseException:
            self.rollback()
            raise


def connect(path: Path, read_only: bool = False) -> LibraryDatabase:
    """Open `path` with the pragmas footlog relies on, without migrating.

    WAL lets the window read while an import writes; synchronous=FULL makes a committed
    transaction survive a power cut, not only a killed process. `isolation_level=None`
    stops Python's sqlite3 from opening hidden deferred transactions: a write outside
    `atomic()` commits at once instead of holding the lock until someone commits.
    """
    try:
        if read_only:
            # SQLite reads a WAL database through its -shm index, which it cannot create in
            # a folder it may not write to. Without a -wal file, all there is to read is the
            # database file, which then opens as immutable.
            wal = path.with_name(path.name + "-wal")
            immutable = not os.access(path.parent, os.W_OK) and not wal.exists()
            conn = sqlite3.connect(
                f"file:{quote(str(path.resolve()))}?mode=ro{'&immutable=1' if immutable else ''}",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        else:
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        db = LibraryDatabase(conn)
        db.where = path.parent
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        # Reading the schema is the first real read: a file that is not SQLite fails here.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise LibraryError(
                f"{path} is not a footlog database or is damaged ({exc}): restore your "
                "latest backup with `footlog restore BACKUP.zip NEW_FOLDER`"
            ) from exc
        raise storage_error(exc, path.parent) from exc
    return db


def pending_migrations(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


def backup_database(db: Database, path: Path) -> Path:
    """Copy the database aside with SQLite's online backup (consistent even under WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.before-migration-{stamp}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def write_problem(path: Path) -> str | None:
    """Why the database at `path` (or its folder) cannot be written, or None.

    SQLite in WAL mode needs to create `-wal` and `-shm` files beside the database, so a
    read-only folder is as much a problem as a read-only file.
    """
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return (
            f"the library's database {path} is read-only: footlog shows the library but "
            "cannot change it. Make the file writable (for example `chmod u+w`) to edit it"
        )
    if not os.access(folder, os.W_OK):
        return (
            f"the library folder {folder} is read-only: footlog shows the library but "
            "cannot change it. Make the folder writable, or copy the library elsewhere"
        )
    return None


def quick_check(db: Database) -> str | None:
    """SQLite's `PRAGMA quick_check`: None when the database is sound, else its first line.

    It reads every page once (O(database size); a few ms for a library of 1,500 photos)
    but skips the index-versus-table cross-checks of `integrity_check`, which `footlog
    check` runs in full.
    """
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else one_line("; ".join(rows))


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row that the INSERT just run on `cursor` made."""
    if cursor.lastrowid is None:  # sqlite3 sets it on every INSERT
        raise LibraryError("the new row has no id")
    return cursor.lastrowid


def one_line(text: str) -> str:
    """SQLite's multi-line check report as one line (without its '*** in database ***')."""
    text = text.replace("*** in database main ***", "")
    return " ".join(text.split()).strip(" ;")


def open_database(
    path: Path,
    lock: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
) -> LibraryDatabase:
    """Open (creating if needed), check and migrate the database at `path`.

    A database that fails `quick_check`, or that cannot be written, is opened for reading
    only: every later write refuses with the reason. An existing database is copied aside
    before any pending migration runs, so a failed or unwanted upgrade can be undone by
    hand. `lock` serialises migrations with other processes opening the same library.
    """
    existed = path.exists() and path.stat().st_size > 0
    problem = write_problem(path) if existed else None
    db = connect(path, read_only=problem is not None)
    try:
        damage = quick_check(db) if existed else None
        if damage:
            problem = damaged_message(path.parent, damage)
        db.read_only_reason = problem
        if pending_migrations(db):
            if problem:
                raise LibraryReadOnlyError(
                    f"{problem}; besides, this library needs an upgrade that cannot be "
                    "written, so it cannot be opened"
                )
            with lock():
                pending = pending_migrations(db)  # another process may have migrated
                if pending and existed and MIGRATIONS.applied(db):
                    backup_database(db, path)
                elif pending and existed and db.table_names():
                    raise LibraryError(f"{path} is an SQLite database, but not a footlog library")
                if pending:
                    MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise storage_error(exc, path.parent) from exc
    except BaseException:
        db.close()
        raise
    return db

