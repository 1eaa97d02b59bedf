"""The files in folders and zip archives, listed within bounds, each readable on demand.

An export holds thousands of files; a hostile zip can list millions, or nest zips inside
zips. So, for each path given to footlog:

- a zip's central directory (its list of files, read whole by `zipfile`) may take at most
  MAX_CENTRAL_DIRECTORY_BYTES, checked from the archive's end record before it is read;
- all its archives together may list at most MAX_MEMBERS files;
- an archive inside an archive is opened up to MAX_ARCHIVE_DEPTH levels deep, after being
  copied out to a scratch folder (a zip member cannot be read at random), all copies
  together within MAX_SCRATCH_BYTES.

An archive nested too deep is reported as an error; one too large, or not a readable zip,
is skipped with a note (an export may hold such archives beside its run logs).
"""

from __future__ import annotations

import posixpath
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from footlog.importers.base import ImportedRuns
from footlog.importers.streams import (
    CHUNK_BYTES,
    MAX_DECOMPRESSED_BYTES,
    ByteSource,
    OpenZips,
    Unreadable,
)

#: Bytes of a zip's central directory: about 150,000 files with long names.
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024
#: Files listed by all the archives of one path given to footlog (a large Strava export
#: holds one file per activity, and its media).
MAX_MEMBERS = 100_000
#: Levels of archives: the zip given (1), a zip in it (2), a zip in that (3).
MAX_ARCHIVE_DEPTH = 3
#: Bytes of archives copied out of archives, for one path given to footlog.
MAX_SCRATCH_BYTES = 1024 * 1024 * 1024


class ArchiveRefused(Exception):
    """An archive footlog does not open; the message says why."""


@dataclass
class Entry:
    """One file to consider: where it is shown as coming from, and its bytes.

    `key` identifies it for "already covered by a CSV row" (casefolded, so the covering CSV
    may differ in letter case as on Windows); `folder_key` is the key of its folder.
    """

    display: str
    name: PurePath
    key: str
    folder_key: str
    data: ByteSource
    explicit: bool


@dataclass
class Listing:
    """What listing one path given to footlog may still use, and where it notes what it
    leaves out. `scratch` is a folder, and `zips` the archives kept open, until every entry
    has been read."""

    scratch: Path
    zips: OpenZips
    result: ImportedRuns
    members_left: int = field(default_factory=lambda: MAX_MEMBERS)
    scratch_left: int = field(default_factory=lambda: MAX_SCRATCH_BYTES)


def file_entry(path: Path, explicit: bool) -> Entry:
    """A file on disk."""
    resolved = path.resolve()
    return Entry(
        display=str(path),
        name=PurePath(path.name),
        key=resolved.as_posix().casefold(),
        folder_key=resolved.parent.as_posix().casefold(),
        data=ByteSource.of_file(path),
        explicit=explicit,
    )


def folder_entries(folder: Path, listing: Listing) -> list[Entry]:
    """The files below a folder, the files in its zips included (a zip that cannot be
    opened stays one file)."""
    entries: list[Entry] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or is_hidden(path.relative_to(folder).parts):
            continue
        if path.suffix.lower() == ".zip":
            try:
                entries.extend(zip_entries(path, listing))
            except (OSError, zipfile.BadZipFile):
                entries.append(file_entry(path, explicit=False))
            except ArchiveRefused as exc:
                listing.result.skip(str(path), str(exc))
        else:
            entries.append(file_entry(path, explicit=False))
    return entries


def zip_entries(archive: Path, listing: Listing) -> list[Entry]:
    """The files in a zip on disk, each read on demand. Raises OSError or BadZipFile for a
    file that is no readable zip, ArchiveRefused for one beyond the bounds."""
    root = archive.resolve().as_posix().casefold() + "!"
    return _members(archive, str(archive), root, 1, listing)


def is_hidden(parts: Iterable[str]) -> bool:
    """System clutter: dot-files, macOS resource forks in `__MACOSX/`."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _members(archive: Path, display: str, root: str, depth: int, listing: Listing) -> list[Entry]:
    """The files in the zip `archive` (on disk), shown as `display`, keyed under `root`."""
    directory = _central_directory_bytes(archive)
    if directory > MAX_CENTRAL_DIRECTORY_BYTES:
        raise ArchiveRefused(
            f"its list of files alone takes {directory // 2**20} MB: more files than any "
            "export holds; not opened"
        )
    infos = [info for info in listing.zips.get(archive).infolist() if not info.is_dir()]
    if len(infos) > listing.members_left:
        raise ArchiveRefused(
            f"holds more than {MAX_MEMBERS:,} files (with the archives around or beside it): "
            "more than any export; not opened"
        )
    listing.members_left -= len(infos)
    entries: list[Entry] = []
    for info in infos:
        member = PurePosixPath(info.filename)
        if is_hidden(member.parts):
            continue
        shown = f"{display}/{info.filename}"
        key = (root + "/" + posixpath.normpath(info.filename)).casefold()
        if member.suffix.lower() == ".zip":
            entries.extend(_nested(archive, info, shown, key + "!", depth + 1, listing))
            continue
        entries.append(
            Entry(
                display=shown,
                name=member,
                key=key,
                folder_key=(root + "/" + posixpath.dirname(info.filename)).casefold(),
                data=ByteSource.of_zip_member(listing.zips, archive, info),
                explicit=False,
            )
        )
    return entries


def _nested(
    archive: Path, info: zipfile.ZipInfo, display: str, root: str, depth: int, listing: Listing
) -> list[Entry]:
    """The files of a zip inside a zip, copied out to the scratch folder; none (and a note)
    when it is too deep, too large, or not a readable zip."""
    if depth > MAX_ARCHIVE_DEPTH:
        # An error, not a note: what footlog refuses to open may hold the runs sought.
        listing.result.error(
            display,
            f"an archive inside {depth - 1} archives: not opened (footlog opens archives "
            f"{MAX_ARCHIVE_DEPTH} levels deep)",
        )
        return []
    if info.file_size > min(listing.scratch_left, MAX_DECOMPRESSED_BYTES):
        listing.result.skip(display, "an archive too large to unpack inside another; not opened")
        return []
    listing.scratch_left -= info.file_size
    handle, name = tempfile.mkstemp(suffix=".zip", dir=listing.scratch)
    copy = Path(name)
    try:
        member = ByteSource.of_zip_member(listing.zips, archive, info)
        with open(handle, "wb") as out, member.open() as src:
            shutil.copyfileobj(src, out, CHUNK_BYTES)
        return _members(copy, display, root, depth, listing)
    except (Unreadable, OSError, zipfile.BadZipFile, ArchiveRefused) as exc:
        listing.result.skip(display, f"not opened: {exc}")
        return []


def _central_directory_bytes(archive: Path) -> int:
    """The size of a zip's central directory as its end record states it (zip64 records
    followed), or 0 when there is no end record (zipfile then refuses the file itself)."""
    size = archive.stat().st_size
    with archive.open("rb") as stream:
        tail_size = min(size, 22 + 0xFFFF)  # the end record, and a comment of up to 64 KB
        stream.seek(size - tail_size)
        tail = stream.read(tail_size)
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            return 0
        (directory,) = struct.unpack_from("<I", tail, end + 12)
        if directory != 0xFFFFFFFF:
            return int(directory)
        # Zip64: a 20-byte locator just before the end record gives the zip64 end record.
        locator_at = size - tail_size + end - 20
        if locator_at < 0:
            return 0
        stream.seek(locator_at)
        locator = stream.read(20)
        if locator[:4] != b"PK\x06\x07":
            return 0
        (record_at,) = struct.unpack_from("<Q", locator, 8)
        stream.seek(record_at)
        record = stream.read(56)
        if record[:4] != b"PK\x06\x06" or len(record) < 56:
            return 0
        (directory,) = struct.unpack_from("<Q", record, 40)
        return int(directory)
