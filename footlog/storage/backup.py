"""Backing a library up into one zip file, and restoring it into a new folder.

A backup holds `footlog.db` (a consistent snapshot taken with SQLite's online backup API,
deflated), the file of every photo row under `photos/` (stored as is: photos are already
compressed), trashed photos included, and `manifest.json`: the footlog version, the schema
migrations applied, when it was made, and each file's path, size in bytes and SHA-256.

Both directions are all or nothing. A backup is written into a hidden folder beside the
target and renamed into place when complete, so a killed or failed backup never leaves a
truncated zip under the chosen name. A restore extracts into a hidden folder beside the
target and renames it into place only once every hash, and every photo row's file, has been
verified.

Both functions take `progress(done, total, what)` (files, not bytes: a Qt progress bar holds
32-bit ints) and `cancelled() -> bool`, and use only the Library they are given, so a
background thread can open its own Library and call them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from footlog import __version__
from footlog.storage.database import LibraryError
from footlog.storage.library import DB_NAME, INCOMING_DIR, PHOTOS_DIR, Library, utc_now_iso
from footlog.storage.photo_store import _fsync_dir
from footlog.storage.schema import MIGRATIONS

Progress = Callable[[int, int, str], None]  # (files done, files in all, what is being done)
Cancelled = Callable[[], bool]

MANIFEST_NAME = "manifest.json"
BACKUP_FORMAT = "footlog-backup"
BACKUP_FORMAT_VERSION = 1
_CHUNK = 1 << 20
# A manifest lists one line per file: even a library of a million photos stays far below.
_MANIFEST_MAX_BYTES = 256 << 20
# Photo files are named <sha256>.<ext> by the import; nothing else may appear under photos/.
_PHOTO_FILE_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,10}")


class BackupCancelled(LibraryError):
    """The person cancelled a backup or restore; nothing was written."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds. `bytes` counts the files before compression."""

    path: Path
    photos: int
    photos_in_trash: int
    bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore wrote. `bytes` counts the files restored."""

    path: Path
    photos: int
    bytes: int


@dataclass(frozen=True)
class _Entry:
    path: str  # name inside the zip, and inside the library folder
    size: int  # bytes
    sha256: str


# -- backup -----------------------------------------------------------------------------------


def backup_library(
    lib: Library,
    target: Path | str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BackupSummary:
    """Write a backup of `lib` to `target` (a .zip file), atomically.

    An existing `target` is replaced only if it is itself a footlog backup, and only once the
    new one is complete. Raises LibraryError (one plain sentence) on any failure, and
    BackupCancelled if `cancelled()` turns true; in both cases `target` is left as it was.
    """
    target = Path(target)
    _check_backup_target(lib, target)
    say = progress or (lambda _done, _total, _what: None)
    try:
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    except OSError as exc:
        raise LibraryError(f"cannot write in {target.parent}: {exc.strerror}") from exc
    try:
        snapshot = work / DB_NAME
        # Under the write lock no import or deletion is half done: the snapshot holds no
        # `incoming` record, so its rows and the photo files agree.
        with lib.write_lock():
            _snapshot_database(lib, snapshot)
        rows = _photo_rows(snapshot)
        needed = snapshot.stat().st_size + sum(_size_or_zero(lib.photo_path(r[2])) for r in rows)
        _check_free_space(target.parent, needed, "the backup")
        total = 1 + len(rows)
        say(0, total, "database")
        part = work / "backup.zip"
        entries = []
        with zipfile.ZipFile(part, "w", allowZip64=True) as archive:
            entries.append(_add_file(archive, snapshot, DB_NAME, zipfile.ZIP_DEFLATED))
            for done, (photo_id, sha256, file_name, _deleted) in enumerate(rows, start=1):
                if cancelled is not None and cancelled():
                    raise BackupCancelled("backup cancelled; nothing was written")
                say(done, total, file_name)
                entry = _add_photo(archive, lib, photo_id, file_name)
                if entry.sha256 != sha256:
                    raise LibraryError(
                        f"photo {photo_id}: its file {file_name} has changed since it was "
                        "imported; run `footlog check` (nothing was written)"
                    )
                entries.append(entry)
            manifest = _manifest(snapshot, entries)
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=1), zipfile.ZIP_DEFLATED)
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(part, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise _write_error(exc, target, "the backup was not written") from exc
    except sqlite3.Error as exc:  # copying the database onto a full disk ends here
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            full = OSError(errno.ENOSPC, str(exc))
            raise _write_error(full, target, "the backup was not written") from exc
        raise LibraryError(f"cannot copy the database: {exc}; the backup was not written") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(total, total, "done")
    return BackupSummary(
        path=target,
        photos=len(rows),
        photos_in_trash=sum(1 for r in rows if r[3] is not None),
        bytes=sum(e.size for e in entries),
    )


def _check_backup_target(lib: Library, target: Path) -> None:
    if target.suffix.lower() != ".zip":
        raise LibraryError(f"{target}: a backup is written as a .zip file")
    if not target.parent.is_dir():
        raise LibraryError(f"the folder {target.parent} does not exist")
    if target.resolve().is_relative_to(lib.photos_dir.resolve()):
        raise LibraryError("a backup cannot be written inside the library's photos folder")
    if target.is_dir():
        raise LibraryError(f"{target} is a folder; give the name of a new .zip file")
    if target.exists() and not is_backup(target):
        raise LibraryError(
            f"{target} already exists and is not a footlog backup; choose another name"
        )


def is_backup(path: Path) -> bool:
    """Whether `path` is a zip whose manifest says it is a footlog backup (hashes unchecked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_manifest(archive, path).get("format") == BACKUP_FORMAT
    except (OSError, zipfile.BadZipFile, LibraryError):
        return False


def _snapshot_database(lib: Library, path: Path) -> None:
    """Copy the live database page by page (consistent even while the window writes)."""
    dest = sqlite3.connect(str(path))
    try:
        lib.db.conn.backup(dest)
    finally:
        dest.close()


def _photo_rows(snapshot: Path) -> list[tuple[int, str, str, str | None]]:
    """(id, sha256, file_name, deleted_at) of every photo file, trashed ones included: once
    per file (the feet of one photo share its file)."""
    conn = sqlite3.connect(str(snapshot))
    try:
        rows = conn.execute(
            "SELECT id, sha256, file_name, deleted_at FROM photos ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return list({r[2]: r for r in reversed(rows)}.values())[::-1]


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported as missing when its turn comes


def _add_photo(archive: zipfile.ZipFile, lib: Library, photo_id: int, file_name: str) -> _Entry:
    if not _PHOTO_FILE_NAME.fullmatch(file_name):
        raise LibraryError(f"photo {photo_id} has an unexpected file name {file_name!r}")
    try:
        # Photos are JPEG, HEIC, PNG…: deflating them again costs time and saves nothing.
        return _add_file(
            archive, lib.photo_path(file_name), f"{PHOTOS_DIR}/{file_name}", zipfile.ZIP_STORED
        )
    except FileNotFoundError as exc:
        raise LibraryError(
            f"photo {photo_id}: its file {file_name} is missing; run `footlog check` "
            "(nothing was written)"
        ) from exc


def _add_file(archive: zipfile.ZipFile, source: Path, name: str, compression: int) -> _Entry:
    """Stream `source` into `archive` as `name`, hashing the bytes as they are written."""
    # A file time before 1980 (which zip cannot hold) is stored as 1980, not refused.
    info = zipfile.ZipInfo.from_file(source, name, strict_timestamps=False)
    info.compress_type = compression
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as src, archive.open(info, "w") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return _Entry(name, size, digest.hexdigest())


def _manifest(snapshot: Path, entries: list[_Entry]) -> dict[str, Any]:
    db = Database(sqlite3.connect(str(snapshot)))
    try:
        migrations = [m.name for m in MIGRATIONS.applied(db)]
    finally:
        db.close()
    return {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "footlog_version": __version__,
        "created_at": utc_now_iso(),
        "migrations": migrations,
        "files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in entries],
    }


# -- restore ----------------------------------------------------------------------------------


def restore_library(
    archive_path: Path | str,
    target: Path | str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RestoreSummary:
    """Restore the backup `archive_path` into the folder `target` (new, or empty).

    Every file's size and SHA-256 are checked against the manifest, and every photo row's
    file against the row's hash, before the restored library appears under `target`.
    Raises LibraryError (one plain sentence) and leaves nothing behind when anything is
    wrong; BackupCancelled if `cancelled()` turns true.
    """
    archive_path, target = Path(archive_path), Path(target)
    _check_restore_target(target)
    say = progress or (lambda _done, _total, _what: None)
    name = archive_path.name
    try:
        archive = zipfile.ZipFile(archive_path)
    except FileNotFoundError as exc:
        raise LibraryError(f"no such backup: {archive_path}") from exc
    except IsADirectoryError as exc:
        raise LibraryError(f"{archive_path} is a folder, not a backup") from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        raise LibraryError(f"{name} is not a zip file, or is damaged") from exc
    with archive:
        manifest = _read_manifest(archive, archive_path)
        entries = _checked_entries(archive, manifest, name)
        _check_free_space(_existing_parent(target), sum(e.size for e in entries), "the restore")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            work = Path(
                tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restoring")
            )
        except OSError as exc:
            raise _write_error(exc, target, "nothing was restored") from exc
        try:
            (work / PHOTOS_DIR / INCOMING_DIR).mkdir(parents=True)
            for done, entry in enumerate(entries):
                if cancelled is not None and cancelled():
                    raise BackupCancelled("restore cancelled; nothing was restored")
                say(done, len(entries), entry.path)
                _extract_verified(archive, entry, work / entry.path, name)
            _check_restored_database(work / DB_NAME, manifest, entries, name)
            _fsync_dir(work / PHOTOS_DIR)
            _fsync_dir(work)
            if target.exists():
                target.rmdir()  # empty, as checked; rename() cannot replace it everywhere
            os.rename(work, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise _write_error(exc, target, "nothing was restored") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    say(len(entries), len(entries), "done")
    photos = [e for e in entries if e.path != DB_NAME]
    return RestoreSummary(target, len(photos), sum(e.size for e in entries))


def _check_restore_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise LibraryError(f"{target} is a file; restore into a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise LibraryError(
            f"{target} is not empty; restore into a new or empty folder (nothing was changed)"
        )


def _existing_parent(path: Path) -> Path:
    """The nearest folder above `path` that exists (where free space can be measured)."""
    for parent in path.absolute().parents:
        if parent.is_dir():
            return parent
    return Path(path.anchor or ".")


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST_NAME)
    except KeyError as exc:
        raise LibraryError(f"{path.name} is not a footlog backup (it has no manifest)") from exc
    if info.file_size > _MANIFEST_MAX_BYTES:
        raise LibraryError(f"{path.name}: its manifest is implausibly large; not restoring it")
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise LibraryError(f"{path.name}: its manifest is damaged") from exc
    if not isinstance(manifest, dict):
        raise LibraryError(f"{path.name}: its manifest is damaged")
    return manifest


def _unsafe(name: str) -> bool:
    """Whether a zip member's name would write outside the folder it is extracted into."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _checked_name(name: Any, archive_name: str) -> str:
    if not isinstance(name, str):
        raise LibraryError(f"{archive_name}: its manifest is damaged")
    if _unsafe(name):
        raise LibraryError(
            f"{archive_name} holds an unsafe path {name!r} (outside the library); "
            "nothing was restored"
        )
    folder, _, file_name = name.partition("/")
    if name != DB_NAME and not (folder == PHOTOS_DIR and _PHOTO_FILE_NAME.fullmatch(file_name)):
        raise LibraryError(
            f"{archive_name} holds {name!r}, which is no file of a footlog library; "
            "nothing was restored"
        )
    return name


def _checked_entries(
    archive: zipfile.ZipFile, manifest: dict[str, Any], archive_name: str
) -> list[_Entry]:
    """The manifest's files, checked against the zip's own list before anything is written."""
    if manifest.get("format") != BACKUP_FORMAT:
        raise LibraryError(f"{archive_name} is not a footlog backup")
    if manifest.get("format_version") != BACKUP_FORMAT_VERSION:
        raise LibraryError(
            f"{archive_name} was written by another footlog (backup format "
            f"{manifest.get('format_version')!r}); update footlog to restore it"
        )
    unknown = set(manifest.get("migrations") or []) - _known_migrations()
    if unknown:
        raise LibraryError(
            f"{archive_name} was made by a newer footlog ({manifest.get('footlog_version')}, "
            f"schema {', '.join(sorted(unknown))}); update footlog to restore it"
        )
    try:
        entries = [
            _Entry(_checked_name(f["path"], archive_name), int(f["size"]), str(f["sha256"]))
            for f in manifest["files"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise LibraryError(f"{archive_name}: its manifest is damaged") from exc
    members = {}
    for info in archive.infolist():
        if info.filename != MANIFEST_NAME:
            members[_checked_name(info.filename, archive_name)] = info
    listed = [e.path for e in entries]
    if DB_NAME not in listed:
        raise LibraryError(f"{archive_name}: the manifest lists no database")
    if len(set(listed)) != len(listed):
        raise LibraryError(f"{archive_name}: the manifest lists a file twice")
    unlisted = sorted(set(members) - set(listed))
    if unlisted:
        raise LibraryError(f"{archive_name} holds {unlisted[0]}, which its manifest does not list")
    for entry in entries:
        if entry.path not in members:
            raise LibraryError(f"{archive_name}: {entry.path} is listed but missing")
        if members[entry.path].file_size != entry.size:
            raise LibraryError(
                f"{archive_name}: {entry.path} is {members[entry.path].file_size} bytes, "
                f"its manifest says {entry.size}"
            )
    return entries


def _known_migrations() -> set[str]:
    """The schema migrations this footlog knows: all of them are pending on an empty db."""
    empty = Database(memory=True)
    try:
        return {m.name for m in MIGRATIONS.pending(empty)}
    finally:
        empty.close()


def _extract_verified(archive: zipfile.ZipFile, entry: _Entry, dest: Path, name: str) -> None:
    """Write one member to `dest` and check its size and SHA-256 against the manifest."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(entry.path) as src, open(dest, "wb") as out:
            # Never read past the size the manifest promises (a forged zip may lie).
            while chunk := src.read(min(_CHUNK, entry.size - size + 1)):
                size += len(chunk)
                if size > entry.size:
                    break
                digest.update(chunk)
                out.write(chunk)
            _fsync(out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise LibraryError(f"{name} is damaged ({entry.path} cannot be read)") from exc
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise LibraryError(
            f"{name} is damaged: {entry.path} does not match its manifest; nothing was restored"
        )


def _fsync(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _check_restored_database(
    path: Path, manifest: dict[str, Any], entries: list[_Entry], name: str
) -> None:
    """The restored database opens, is intact, and names exactly the files restored."""
    hashes = {e.path: e.sha256 for e in entries}
    conn = sqlite3.connect(str(path))
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise LibraryError(f"{name}: the database in it is damaged; nothing was restored")
        db = Database(conn)
        applied = [m.name for m in MIGRATIONS.applied(db)]
        rows = conn.execute("SELECT id, sha256, file_name FROM photos").fetchall()
    except sqlite3.DatabaseError as exc:
        raise LibraryError(
            f"{name}: the database in it is damaged or not a footlog library ({exc})"
        ) from exc
    finally:
        conn.close()
    if applied != list(manifest.get("migrations") or []):
        raise LibraryError(f"{name}: the database does not match its manifest's schema")
    named = set()
    for photo_id, sha256, file_name in rows:
        member = f"{PHOTOS_DIR}/{file_name}"
        named.add(member)
        if member not in hashes:
            raise LibraryError(
                f"{name}: photo {photo_id}'s file {file_name} is missing; nothing was restored"
            )
        if hashes[member] != sha256:
            raise LibraryError(
                f"{name}: photo {photo_id}'s file does not match its hash; nothing was restored"
            )
    orphans = sorted(set(hashes) - named - {DB_NAME})
    if orphans:
        raise LibraryError(f"{name}: {orphans[0]} belongs to no photo; nothing was restored")


# -- shared -----------------------------------------------------------------------------------


def _check_free_space(folder: Path, needed: int, what: str) -> None:
    """Refuse before writing when the disk is plainly too small (writing still checks)."""
    with contextlib.suppress(OSError):
        free = shutil.disk_usage(folder).free
        if free < needed:
            raise LibraryError(
                f"not enough free space in {folder}: {what} needs {_megabytes(needed)}, "
                f"{_megabytes(free)} are free"
            )


def _megabytes(count: int) -> str:
    return f"{count / 1e6:,.1f} MB"


def _write_error(exc: OSError, target: Path, outcome: str) -> LibraryError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return LibraryError(f"the disk holding {target.parent} is full; {outcome}")
    where = f" ({exc.filename})" if exc.filename else ""
    return LibraryError(f"cannot write {target}: {exc.strerror or exc}{where}; {outcome}")
