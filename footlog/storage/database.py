"""Opening a library database: pragmas, backup, migrations."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from footlog.storage.schema import MIGRATIONS


class LibraryError(Exception):
    """A library cannot be opened or used; the message says why in plain words."""


def connect(path: Path) -> Database:
    """Open `path` with the pragmas footlog relies on, without migrating.

    WAL lets the window read while an import writes; synchronous=FULL makes a committed
    transaction survive a power cut, not only a killed process.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=30.0, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 30000")
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"{path} is not a footlog database or is damaged ({exc})") from exc
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


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    An existing database is copied aside before any pending migration runs, so a failed or
    unwanted upgrade can be undone by hand.
    """
    existed = path.exists() and path.stat().st_size > 0
    db = connect(path)
    try:
        pending = pending_migrations(db)
        if pending and existed and MIGRATIONS.applied(db):
            backup_database(db, path)
        elif pending and existed and db.table_names():
            raise LibraryError(f"{path} is an SQLite database, but not a footlog library")
        if pending:
            MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise LibraryError(f"{path} is not a footlog database or is damaged ({exc})") from exc
    except LibraryError:
        db.close()
        raise
    return db
