"""A library is a folder: `footlog.db`, `photos/` (originals by SHA-256) and `cache/`.

Originals under `photos/` are copied byte for byte and never modified. Everything under
`cache/` (thumbnails, rectified images) is derived and may be deleted at any time.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from footlog.storage.database import (
    LibraryDatabase,
    LibraryError,
    connect,
    inserted_id,
    open_database,
    storage_error,
)

DB_NAME = "footlog.db"
PHOTOS_DIR = "photos"
INCOMING_DIR = ".incoming"
CACHE_DIR = "cache"
LOCK_NAME = "footlog.lock"
DEFAULT_PERSON = "Me"


def writer_alive(part_name: str) -> bool:
    """Whether the process that named a partial copy '<pid>-<id>.part' is still running
    (psutil: `os.kill(pid, 0)` would send Ctrl+C to the process on Windows)."""
    import psutil

    pid_text = part_name.split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        return bool(psutil.pid_exists(pid))
    except (OSError, ValueError, OverflowError):
        return True  # the platform cannot tell: keep the file


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` across processes, on every system (filelock: fcntl on
    POSIX, msvcrt on Windows), held until the block ends."""
    from filelock import FileLock

    lock = FileLock(str(path))  # waits as long as the other writer works, as flock did
    try:
        lock.acquire()
    except OSError as exc:
        raise storage_error(exc, path.parent) from exc
    try:
        yield
    finally:
        lock.release()


def _lost_database(root: Path) -> str | None:
    """A sentence when `root` holds photos but its database is missing or empty.

    Opening such a folder as a new library would silently start an empty one beside the
    photos (and write into it); the person needs to restore the database instead.
    """
    photos = root / PHOTOS_DIR
    db_path = root / DB_NAME
    if db_path.exists() and db_path.stat().st_size > 0:
        return None
    if not photos.is_dir():
        return None
    count = sum(1 for p in photos.iterdir() if p.is_file() and not p.name.startswith("."))
    if not count:
        return None
    state = "is empty" if db_path.exists() else "is missing"
    asides = sorted(root.glob(f"{DB_NAME}.before-migration-*"))
    aside = f", or copy {asides[-1].name} back to {DB_NAME}" if asides else ""
    return (
        f"the library at {root} holds {count} photo file(s) but its database {DB_NAME} "
        f"{state}: footlog will not start an empty library over them. Restore the library "
        f"from a backup (`footlog restore BACKUP.zip NEW_FOLDER`){aside}"
    )


def default_library_dir() -> Path:
    """Where the library lives when `--library` is not given (per-user data folder)."""
    return Path(platformdirs.user_data_dir("footlog", appauthor=False)) / "library"


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Person:
    id: int
    name: str


class Library:
    """An open library folder. Use `Library.open(path)`; close it when done."""

    def __init__(self, root: Path, db: LibraryDatabase) -> None:
        self.root = root
        self.db = db

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str | None = None, create: bool = True) -> Library:
        """Open the library at `root` (default: the per-user library), creating it if asked.

        Opening also undoes any photo import that a killed process left half done. A
        library that cannot be written (permissions, a damaged database) opens for reading
        only, and every change refuses with the reason.
        """
        root = Path(root) if root is not None else default_library_dir()
        db_path = root / DB_NAME
        lost = _lost_database(root)
        if lost:
            raise LibraryError(lost)
        if not db_path.exists():
            if not create:
                raise LibraryError(f"no footlog library at {root}")
            if root.exists() and not root.is_dir():
                raise LibraryError(f"{root} is a file, not a library folder")
            if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
                raise LibraryError(
                    f"{root} already holds other files; choose an empty folder for a new library"
                )
            try:
                (root / PHOTOS_DIR / INCOMING_DIR).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create a library at {root}: {exc.strerror}") from exc
        with contextlib.suppress(OSError):  # a read-only library has it already, or never will
            (root / PHOTOS_DIR / INCOMING_DIR).mkdir(parents=True, exist_ok=True)
        lib = cls(root, open_database(db_path, lock=lambda: _file_lock(root / LOCK_NAME)))
        if lib.writable:
            try:
                lib.recover_interrupted_imports()
            except BaseException:
                lib.close()
                raise
        return lib

    @classmethod
    def open_for_thread(cls, root: Path | str) -> Library:
        """Another connection to a library this process has opened already with `open`, for
        a worker thread (an SQLite connection must not cross threads). It neither creates,
        migrates nor tidies the library (`open` did, once), so it is safe while other
        threads import into it: it never removes another import's half-copied file."""
        root = Path(root)
        db_path = root / DB_NAME
        if not db_path.exists():
            raise LibraryError(f"no footlog library at {root}")
        return cls(root, connect(db_path))

    @property
    def writable(self) -> bool:
        return self.db.read_only_reason is None

    @functools.cached_property
    def location_warning(self) -> str | None:
        """A sentence when the library is in a synced folder or on a network share, where
        SQLite is not safe (footlog.storage.library_location), else None."""
        from footlog.storage.library_location import location_warning

        return location_warning(self.root)

    @property
    def read_only_reason(self) -> str | None:
        """Why this library cannot be changed (a sentence), or None when it can."""
        return self.db.read_only_reason

    def ensure_writable(self) -> None:
        """Raise `LibraryReadOnlyError` with the reason when the library cannot be changed."""
        self.db.ensure_writable()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- paths -------------------------------------------------------------------------

    @property
    def photos_dir(self) -> Path:
        return self.root / PHOTOS_DIR

    @property
    def incoming_dir(self) -> Path:
        return self.root / PHOTOS_DIR / INCOMING_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def photo_path(self, file_name: str) -> Path:
        return self.photos_dir / file_name

    # -- writer lock -------------------------------------------------------------------

    def write_lock(self) -> contextlib.AbstractContextManager[None]:
        """Serialise the file-and-row steps of imports between processes."""
        self.ensure_writable()
        return _file_lock(self.root / LOCK_NAME)

    def recover_interrupted_imports(self) -> int:
        """Remove what an import killed half-way left behind; return how many photos.

        A photo is recorded in `incoming` before its file is moved into `photos/`, and that
        record is deleted in the transaction that adds the photo row. A record still present
        therefore names a file that has no row: it is removed, with the record.
        """
        undone = 0
        with self.write_lock():
            for row in list(self.db.query("SELECT sha256, file_name FROM incoming")):
                has_row = self.db.execute(
                    "SELECT 1 FROM photos WHERE sha256 = ?", [row["sha256"]]
                ).fetchone()
                if not has_row:
                    with contextlib.suppress(FileNotFoundError):
                        (self.photos_dir / row["file_name"]).unlink()
                    undone += 1
                with self.db.atomic():
                    self.db.execute("DELETE FROM incoming WHERE sha256 = ?", [row["sha256"]])
            for leftover in self.incoming_dir.iterdir():
                # Partial copies are never referenced by any row. Each is named after the
                # process writing it: only those of processes that are gone are removed, so
                # an import running in another window or process is left alone.
                if not writer_alive(leftover.name):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
        return undone

    def partial_copy_path(self) -> Path:
        """A new temporary path in photos/.incoming/ owned by this process."""
        return self.incoming_dir / f"{os.getpid()}-{uuid.uuid4().hex}.part"

    # -- people ------------------------------------------------------------------------

    def people(self) -> list[Person]:
        return [
            Person(r["id"], r["name"])
            for r in self.db.query("SELECT id, name FROM people ORDER BY id")
        ]

    def add_person(self, name: str) -> Person:
        name = name.strip()
        if not name:
            raise LibraryError("a person needs a name")
        # Checked inside the write transaction: another process may be adding the same name.
        with self.db.atomic():
            if any(p.name.casefold() == name.casefold() for p in self.people()):
                raise LibraryError(f"there is already a person called {name!r}")
            cur = self.db.execute(
                "INSERT INTO people (name, created_at) VALUES (?, ?)", [name, utc_now_iso()]
            )
        return Person(inserted_id(cur), name)

    def _default_person(self) -> Person:
        """The default person of a new library, created once even when two processes ask."""
        with self.db.atomic():
            people = self.people()
            if people:
                return people[0]
            return self.add_person(DEFAULT_PERSON)

    def person(self, name: str | None = None) -> Person:
        """The person a command acts on.

        With one person in the library, that one; with none, a default person is created;
        with several, `name` is required.
        """
        people = self.people()
        if name is not None:
            for p in people:
                if p.name.casefold() == name.strip().casefold():
                    return p
            known = ", ".join(p.name for p in people) or "none yet"
            raise LibraryError(f"no person called {name!r} in this library (people: {known})")
        if not people:
            return self._default_person()
        if len(people) == 1:
            return people[0]
        names = ", ".join(p.name for p in people)
        raise LibraryError(f"this library holds several people ({names}); say which with --person")

    def rename_person(self, person: Person, new_name: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE people SET name = ? WHERE id = ?", [new_name.strip(), person.id]
            )

    # -- settings ----------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def change_counters(lib: Library) -> dict[str, int]:
    """How often each group of tables (photos, runs, events, people) has been written;
    empty when a damaged database cannot tell."""
    try:
        rows = lib.db.execute("SELECT name, version FROM change_counters").fetchall()
    except sqlite3.DatabaseError:
        return {}
    return {row[0]: int(row[1]) for row in rows}
