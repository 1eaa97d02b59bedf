"""Photos in a library: atomic import of originals, listing, and editing their facts."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from footlog.domain.naming import guess_foot, view_from_name
from footlog.domain.photo import Photo
from footlog.domain.views import Foot, View
from footlog.imaging.capture_date import capture_time
from footlog.imaging.photo_io import (
    PhotoError,
    PhotoFileInfo,
    ReducedImage,
    probe,
    probe_and_read,
)
from footlog.storage.database import LibraryError, inserted_id
from footlog.storage.library import Library, Person, utc_now_iso, writer_alive
from footlog.storage.photo_rows import photo_from_row

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif",
                  ".hif", ".avif"}
_EXT_BY_FORMAT = {"jpeg": "jpg", "png": "png", "tiff": "tif", "webp": "webp", "heic": "heic",
                  "avif": "avif"}
_CHUNK = 1 << 20


@dataclass
class ImportOutcome:
    """What happened to one file: `added`, `duplicate` or `error` (with a reason)."""

    path: Path
    result: str
    photo_id: int | None = None
    reason: str = ""


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    def of(self, result: str) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.result == result]


def walk_photo_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to import: each file given, and every file below each folder given.

    Inside folders only files with a photo suffix are taken (a folder of photos often holds
    sidecar files); a file named explicitly is always tried, so its error can be reported.
    A folder that cannot be listed (permissions) is given itself, so that its import is
    refused with a reason instead of finding nothing in it without a word.
    """
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        unreadable: list[OSError] = []
        # Like Path.rglob, but rglob skips a folder it may not list without saying so.
        for folder, _dirs, files in os.walk(path, onerror=unreadable.append):
            found.extend(Path(folder, name) for name in files)
        yield from sorted(
            sub
            for sub in found
            if sub.is_file()
            and not sub.name.startswith(".")
            and sub.suffix.lower() in PHOTO_SUFFIXES
        )
        yield from (Path(error.filename) for error in unreadable)


def _copy_and_hash(source: Path, target: Path) -> str:
    """Copy `source` to `target` (fsynced) and return the SHA-256 of the bytes copied."""
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    # A rename is durable only once its directory is synced (POSIX).
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def import_photo(
    lib: Library,
    source: Path,
    person: Person,
    foot: Foot | None = None,
    view: View | None = None,
    measure: bool = True,
) -> ImportOutcome:
    """Copy one photo into the library, atomically.

    After a kill at any moment the photo is either wholly in the library (row and file,
    hash verified) or absent: the copy goes to `photos/.incoming/` first, is verified,
    recorded in `incoming`, moved into place, and the photo row is added in the transaction
    that deletes the `incoming` record. `Library.open` undoes what a kill left between.
    `measure` says this process will measure the photo next (it is claimed for it).
    """
    return import_photo_decoded(lib, source, person, foot, view, measure)[0]


@dataclass(frozen=True)
class DecodedImport:
    """An imported photo's picture, from the decode that verified its copy: measuring
    takes it instead of decoding the file again."""

    info: PhotoFileInfo
    picture: ReducedImage


def import_photo_decoded(lib: Library, source: Path, person: Person, foot: Foot | None = None,
                         view: View | None = None, measure: bool = True,
                         decode_side: int | None = None
                         ) -> tuple[ImportOutcome, DecodedImport | None]:
    """`import_photo`, verifying the copy by decoding it at `decode_side` px (long side)
    when given, and returning that picture for an added photo (None otherwise, and for a
    photo restored from the trash)."""
    source = Path(source)
    lib.ensure_writable()
    if not source.is_file():
        if source.is_dir():  # only a folder that cannot be listed comes here
            reason = "a folder footlog may not read (check its permissions)"
        else:
            reason = "no such file" if not source.exists() else "not a file"
        return ImportOutcome(source, "error", reason=reason), None
    temp = lib.partial_copy_path()
    try:
        try:
            sha = _copy_and_hash(source, temp)
        except OSError as exc:
            return ImportOutcome(source, "error",
                                 reason=f"cannot copy the file: {exc.strerror}"), None
        existing = lib.db.execute(
            "SELECT id, deleted_at FROM photos WHERE sha256 = ? AND original_id IS NULL", [sha]
        ).fetchone()
        if existing and existing[1] is not None:
            # Importing a photo that sits in the trash means the person wants it back.
            restore_photos(lib, [existing[0]])
            return ImportOutcome(
                source, "added", photo_id=existing[0], reason="restored from the trash"
            ), None
        if existing:
            return ImportOutcome(
                source, "duplicate", photo_id=existing[0], reason="already in the library"
            ), None
        decoded = None
        try:
            if decode_side is None:
                info = probe(temp)
            else:
                # The decode that verifies the copy is the picture measuring needs.
                decoded = DecodedImport(*probe_and_read(temp, decode_side))
                info = decoded.info
        except PhotoError as exc:
            return ImportOutcome(source, "error", reason=exc.reason), None
        # The copy is what the library keeps: hash it again as written to disk.
        if file_sha256(temp) != sha:
            return ImportOutcome(source, "error",
                                 reason="the copy did not match the original"), None
        when = capture_time(source, info)
        row: dict[str, Any] = {
            "person_id": person.id,
            "sha256": sha,
            "file_name": f"{sha}.{_EXT_BY_FORMAT.get(info.format, 'bin')}",
            "original_name": source.name,
            "original_path": str(source.resolve()),
            "format": info.format,
            "byte_size": temp.stat().st_size,
            "taken_at": when.taken_at.replace(tzinfo=None).isoformat(timespec="seconds"),
            "taken_at_source": when.source,
            "utc_offset_min": when.utc_offset_minutes,
            "foot": str(foot or guess_foot(name_hint(source))),
            "view": str(view or view_from_name(name_hint(source))),
            "width": info.width,
            "height": info.height,
            "imported_at": utc_now_iso(),
            # Claimed for measuring by this process; see `orphaned_pending`.
            "measuring_pid": os.getpid() if measure else None,
        }
        return ImportOutcome(source, "added", photo_id=_commit_photo(lib, temp, row)), decoded
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def name_hint(path: Path) -> str:
    """The file name with its parent folder: 'left/IMG_1.jpg' says which foot too."""
    return f"{path.parent.name}/{path.stem}"


def _commit_photo(lib: Library, temp: Path, row: dict[str, Any]) -> int:
    final = lib.photo_path(row["file_name"])
    with lib.write_lock():
        again = lib.db.execute(
            "SELECT id FROM photos WHERE sha256 = ? AND original_id IS NULL", [row["sha256"]]
        ).fetchone()
        if again:  # another process added the same bytes meanwhile
            return int(again[0])
        with lib.db.atomic():
            lib.db.execute(
                "INSERT OR REPLACE INTO incoming (sha256, file_name, started_at) VALUES (?, ?, ?)",
                [row["sha256"], row["file_name"], utc_now_iso()],
            )
        if final.exists() and file_sha256(final) == row["sha256"]:
            pass  # identical bytes already there (e.g. a photo deleted from the db only)
        else:
            os.replace(temp, final)
            _fsync_dir(lib.photos_dir)
        with lib.db.atomic():
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            cur = lib.db.execute(
                f"INSERT INTO photos ({columns}) VALUES ({marks})", list(row.values())
            )
            lib.db.execute("DELETE FROM incoming WHERE sha256 = ?", [row["sha256"]])
        return inserted_id(cur)


# -- reading and editing ------------------------------------------------------------------

PHOTO_EDITABLE = {"taken_at", "taken_at_source", "utc_offset_min", "foot", "view", "note"}


def list_photos(lib: Library, person: Person | None = None, deleted: bool = False
                ) -> list[Photo]:
    """Photos newest first, each with its measures.

    Photos in the trash are left out, or (`deleted=True`) are the only ones listed.
    """
    conditions = ["p.deleted_at IS NOT NULL" if deleted else "p.deleted_at IS NULL"]
    args: list[Any] = []
    if person:
        conditions.append("p.person_id = ?")
        args.append(person.id)
    rows = list(
        lib.db.query(
            f"SELECT p.*, people.name AS person FROM photos p "
            f"JOIN people ON people.id = p.person_id WHERE {' AND '.join(conditions)} "
            f"ORDER BY p.taken_at DESC, p.id DESC",
            args,
        )
    )
    measures: dict[int, dict[str, float]] = {}
    for m in lib.db.query("SELECT photo_id, name, value FROM measures"):
        measures.setdefault(m["photo_id"], {})[m["name"]] = m["value"]
    return [photo_from_row(r, r["person"], measures.get(r["id"], {})) for r in rows]


def get_photo(lib: Library, photo_id: int, include_deleted: bool = False) -> Photo:
    """One photo, with its measures; a photo in the trash only when `include_deleted`."""
    rows = list(lib.db.query(
        "SELECT p.*, people.name AS person FROM photos p "
        "JOIN people ON people.id = p.person_id WHERE p.id = ?", [photo_id]))
    if not rows:
        raise LibraryError(f"no photo with id {photo_id}")
    row = rows[0]
    if row["deleted_at"] is not None and not include_deleted:
        raise LibraryError(
            f"photo {photo_id} is in the trash (restore it with `footlog restore-photo "
            f"{photo_id}`)"
        )
    measures = {m["name"]: m["value"] for m in lib.db.query(
        "SELECT name, value FROM measures WHERE photo_id = ?", [photo_id])}
    return photo_from_row(row, row["person"], measures)


def update_photo(lib: Library, photo_id: int, **changes: Any) -> None:
    """Change a photo's date, foot, view or note; anything else is refused."""
    unknown = set(changes) - PHOTO_EDITABLE
    if unknown:
        raise LibraryError(f"cannot edit {', '.join(sorted(unknown))} of a photo")
    if "taken_at" in changes and "taken_at_source" not in changes:
        changes["taken_at_source"] = "user"
    get_photo(lib, photo_id)
    sets = ", ".join(f"{k} = ?" for k in changes)
    with lib.db.atomic():
        lib.db.execute(f"UPDATE photos SET {sets} WHERE id = ?", [*changes.values(), photo_id])


def trash_photos(lib: Library, photo_ids: Iterable[int]) -> list[int]:
    """Move photos to the trash: hidden everywhere, but row, landmarks and file are kept.

    Returns the ids moved (photos already in the trash are left as they are). Unknown ids
    raise before anything changes.
    """
    return _set_trashed(lib, photo_ids, utc_now_iso())


def restore_photos(lib: Library, photo_ids: Iterable[int]) -> list[int]:
    """Take photos back out of the trash, with their landmarks and measures; returns the ids
    restored. Unknown ids raise before anything changes."""
    return _set_trashed(lib, photo_ids, None)


def _set_trashed(lib: Library, photo_ids: Iterable[int], deleted_at: str | None) -> list[int]:
    """Set `deleted_at` (None: out of the trash) on the photos not already so; their ids."""
    ids = list(dict.fromkeys(photo_ids))
    # A photo's other feet share its file: they go to the trash and come back with it.
    ids += [r[0] for i in list(ids) for r in lib.db.execute(
        "SELECT id FROM photos WHERE original_id = ?", [i]).fetchall() if r[0] not in ids]
    now_in_trash = "deleted_at IS NULL" if deleted_at else "deleted_at IS NOT NULL"
    with lib.db.atomic():
        for photo_id in ids:
            get_photo(lib, photo_id, include_deleted=True)
        return [
            photo_id
            for photo_id in ids
            if lib.db.execute(
                f"UPDATE photos SET deleted_at = ? WHERE id = ? AND {now_in_trash}",
                [deleted_at, photo_id],
            ).rowcount
        ]


def empty_trash(lib: Library, photo_ids: Iterable[int] | None = None) -> int:
    """Delete photos in the trash for good (all, or those of `photo_ids`); returns how many."""
    rows = lib.db.execute("SELECT id FROM photos WHERE deleted_at IS NOT NULL").fetchall()
    in_trash = [r[0] for r in rows]
    chosen = in_trash if photo_ids is None else [i for i in photo_ids if i in set(in_trash)]
    for photo_id in chosen:
        delete_photo(lib, photo_id)
    return len(chosen)


def delete_photo(lib: Library, photo_id: int) -> None:
    """Remove a photo from the library for good (the library's copy too; the user's
    original stays). The window and the command line move photos to the trash instead."""
    photo = get_photo(lib, photo_id, include_deleted=True)
    if photo.original_id is not None:
        # Another foot of a photo: its file is the original's, which stays.
        with lib.db.atomic():
            lib.db.execute("DELETE FROM photos WHERE id = ?", [photo_id])
        return
    with lib.write_lock():
        # The `incoming` record makes the file's removal finish on the next open if the
        # process dies between the commit and the unlink.
        with lib.db.atomic():
            lib.db.execute("DELETE FROM photos WHERE id = ?", [photo_id])
            lib.db.execute(
                "INSERT OR REPLACE INTO incoming (sha256, file_name, started_at) VALUES (?, ?, ?)",
                [photo.sha256, photo.file_name, utc_now_iso()],
            )
        with contextlib.suppress(FileNotFoundError):
            lib.photo_path(photo.file_name).unlink()
        with lib.db.atomic():
            lib.db.execute("DELETE FROM incoming WHERE sha256 = ?", [photo.sha256])


def orphaned_pending(lib: Library) -> list[int]:
    """Photos still `pending` whose measuring process is gone (killed mid-measure, or
    imported without measuring): the ones to measure again, oldest first."""
    rows = lib.db.execute(
        "SELECT id, measuring_pid FROM photos WHERE status = 'pending' AND deleted_at IS NULL "
        "ORDER BY id"
    ).fetchall()
    return [r[0] for r in rows if r[1] is None or not writer_alive(f"{r[1]}-")]


def release_pending(lib: Library, photo_ids: Iterable[int]) -> None:
    """Give up this process's claim on measuring these photos (an import cancelled before
    it measured them): those still `pending` are then found by `orphaned_pending`, and
    measured by the next import, while this process lives on."""
    with lib.db.atomic():
        for photo_id in photo_ids:
            lib.db.execute("UPDATE photos SET measuring_pid = NULL WHERE (id = ? OR "
                           "original_id = ?) AND status = 'pending'", [photo_id, photo_id])


def photos_with_assumed_paper(lib: Library, paper: str | None = None) -> list[int]:
    """Photos (not in the trash) scaled by a plain page whose size was assumed from the
    library's paper setting, not told by its shape: the ones whose scale changes when the
    setting does. `paper` ("a4" or "letter"): only those assumed to be that paper."""
    rows = lib.db.execute(
        "SELECT id, json_extract(calibration, '$.method') FROM photos "
        "WHERE deleted_at IS NULL AND json_valid(calibration) "
        "AND json_extract(calibration, '$.paper_size') = 'assumed' ORDER BY id"
    ).fetchall()
    return [r[0] for r in rows if paper is None or r[1] == paper]


def export_photo_copy(lib: Library, photo_id: int, target: Path) -> None:
    shutil.copyfile(lib.photo_path(get_photo(lib, photo_id).file_name), target)
