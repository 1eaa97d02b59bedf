"""Which importer reads which file, and reading a batch of files, folders and zips.

Each format registers an `Importer`; `importer_for` asks them in order of priority whether
they recognise a file from its name and first bytes. `read_run_files` walks folders and zip
archives, reads every run log it finds, and collects problems instead of stopping.
"""

from __future__ import annotations

import gzip
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import TypeVar

from footlog.domain.runs import Run
from footlog.storage.importers.base import (
    MAX_DECOMPRESSED_BYTES,
    ImportedRuns,
    Importer,
    ImportOptions,
    unwrap_gzip,
)
from footlog.storage.importers.cells import first_csv_row, looks_binary

#: How much of a file `recognises()` is shown: enough for the longest CSV header.
HEAD_BYTES = 64 * 1024

#: Suffixes of files that claim to be run logs: inside folders, such a file that no importer
#: reads is reported as an error; any other unrecognised file there is only counted as skipped.
RUN_LOG_SUFFIXES = frozenset({".gpx", ".tcx", ".fit"})

#: Suffixes (after any `.gz`) of files worth opening when met inside a folder or zip. Others
#: (an export's photos and videos, JSON, ...) are left unread: an export can hold gigabytes.
CANDIDATE_SUFFIXES = RUN_LOG_SUFFIXES | {".csv", ".txt", ".xml"}

_IMPORTERS: list[Importer] = []

ImporterClass = TypeVar("ImporterClass", bound=type[Importer])


def register(importer_class: ImporterClass) -> ImporterClass:
    """Class decorator: add one instance of an importer to the registry."""
    if not any(type(known) is importer_class for known in _IMPORTERS):
        _IMPORTERS.append(importer_class())
    return importer_class


def registered_importers() -> list[Importer]:
    """The registered importers in the order they are asked: highest priority first."""
    return sorted(_IMPORTERS, key=lambda importer: -importer.priority)


def importer_for(path: PurePath, head: bytes | None = None) -> Importer | None:
    """The importer that reads `path`, or None when no importer recognises it.

    `head` is the file's first bytes; when None they are read from `path`. A `.gz` file is
    judged by what it decompresses to (`123.fit.gz` is a FIT file).
    """
    name = path
    if head is None:
        try:
            head = _read_head(Path(path))
        except (OSError, ValueError, EOFError, zlib.error):
            return None
    if name.suffix.lower() == ".gz":
        name = name.with_suffix("")
    for importer in registered_importers():
        try:
            if importer.recognises(name, head):
                return importer
        except Exception:  # a faulty recogniser must not stop the others
            continue
    return None


def describe_unknown(path: PurePath, head: bytes) -> str:
    """Why no importer reads a file, in words for the person."""
    suffix = path.suffix.lower()
    if not head.strip():
        return "the file is empty"
    if suffix in {".xlsx", ".xls", ".ods", ".numbers"}:
        return "a spreadsheet; save it as CSV (with a date and a distance column) first"
    if looks_binary(head):
        return "binary data, and not a FIT activity file"
    keys = first_csv_row(head)
    if keys and len(keys) > 1:
        shown = ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "")
        return (
            "a CSV file, but not a Strava or Garmin Connect export, and it has no date and "
            f"distance columns (its columns: {shown})"
        )
    return "text that is neither a CSV with dates and distances, nor GPX, nor TCX"


def read_run_files(paths: Iterable[Path], options: ImportOptions | None = None) -> ImportedRuns:
    """Read every run log in `paths`: files, folders (walked recursively) and `.zip` archives.

    A Strava export (folder or zip) is read from its `activities.csv`; the activity files its
    rows name are not read again. `.gz` files are decompressed. An activity met twice in one
    batch (same `external_id`) is kept once. Files given by name that footlog cannot read are
    errors; unreadable files met inside folders and zips are skipped with a note (an export
    holds photos, profiles and other CSVs), except GPX/TCX/FIT files, whose problems are errors.
    Never raises for bad input.
    """
    groups = [_group_of(Path(path)) for path in paths]
    # Every CSV of the batch first: a Strava activities.csv names the activity files it
    # already covers, wherever in the batch they were given.
    covered: set[str] = set()
    for csv_pass in (True, False):
        for group in groups:
            for entry in group.candidates():
                if (_stem_suffix(entry.name) == ".csv") is not csv_pass:
                    continue
                if entry.key in covered:
                    group.result.skip(
                        entry.display, "its activity is already read from a Strava CSV"
                    )
                else:
                    _read_entry(entry, options, group.result, covered)
    result = ImportedRuns()
    for group in groups:
        group.finish()
        result.extend(group.result)
    return _without_repeats(result)


# --- Entries: files found on disk or in zips ------------------------------------------------------


@dataclass
class _Entry:
    """One file to consider: where it is shown as coming from, and how to get its bytes.

    `key` identifies it for "already covered by a CSV row" (casefolded, so the covering CSV
    may differ in letter case as on Windows); `folder_key` is the key of its folder.
    """

    display: str
    name: PurePath
    key: str
    folder_key: str
    load: Callable[[], bytes]
    explicit: bool


def _file_entry(path: Path, explicit: bool) -> _Entry:
    resolved = path.resolve()
    return _Entry(
        display=str(path),
        name=PurePath(path.name),
        key=resolved.as_posix().casefold(),
        folder_key=resolved.parent.as_posix().casefold(),
        load=lambda: _read_file(path),
        explicit=explicit,
    )


def _read_file(path: Path) -> bytes:
    if path.stat().st_size > MAX_DECOMPRESSED_BYTES:
        raise ValueError("larger than 256 MB; not a run log")
    return path.read_bytes()


def _is_hidden(parts: Iterable[str]) -> bool:
    """System clutter: dot-files, macOS resource forks in `__MACOSX/`."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _folder_entries(folder: Path) -> list[_Entry]:
    entries: list[_Entry] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or _is_hidden(path.relative_to(folder).parts):
            continue
        if path.suffix.lower() == ".zip":
            try:
                entries.extend(_zip_entries(path))
            except (OSError, zipfile.BadZipFile):
                entries.append(_file_entry(path, explicit=False))
        else:
            entries.append(_file_entry(path, explicit=False))
    return entries


def _zip_entries(archive: Path) -> list[_Entry]:
    """The files inside a zip, each read on demand (the archive is reopened per file so that
    no handle stays open between reads)."""
    root = archive.resolve().as_posix().casefold() + "!"
    with zipfile.ZipFile(archive) as zf:
        infos = [info for info in zf.infolist() if not info.is_dir()]
    entries = []
    for info in infos:
        member = PurePosixPath(info.filename)
        if _is_hidden(member.parts):
            continue
        entries.append(
            _Entry(
                display=f"{archive}/{info.filename}",
                name=member,
                key=(root + "/" + posixpath.normpath(info.filename)).casefold(),
                folder_key=(root + "/" + posixpath.dirname(info.filename)).casefold(),
                load=_zip_loader(archive, info),
                explicit=False,
            )
        )
    return entries


def _zip_loader(archive: Path, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def load() -> bytes:
        if info.file_size > MAX_DECOMPRESSED_BYTES:
            raise ValueError("decompresses to more than 256 MB; not a run log")
        try:
            with zipfile.ZipFile(archive) as zf, zf.open(info) as stream:
                return stream.read(MAX_DECOMPRESSED_BYTES + 1)
        except RuntimeError as exc:  # zipfile's word for "encrypted"
            raise ValueError(f"cannot be unpacked ({exc})") from exc
        except NotImplementedError as exc:  # a compression method Python lacks
            raise ValueError(f"packed in a way footlog cannot unpack ({exc})") from exc

    return load


def _read_head(path: Path) -> bytes:
    """The first HEAD_BYTES of a file, decompressed when it is `.gz`."""
    with path.open("rb") as stream:
        if path.suffix.lower() != ".gz":
            return stream.read(HEAD_BYTES)
        with gzip.GzipFile(fileobj=stream) as inner:
            return inner.read(HEAD_BYTES)


# --- Reading a group of entries ------------------------------------------------------------------


@dataclass
class _Group:
    """What one path given to `read_run_files` holds, and what was read from it.

    `container` is the folder or zip, None for a single file (or a path that is missing).
    """

    container: Path | None
    entries: list[_Entry]
    result: ImportedRuns = field(default_factory=ImportedRuns)

    def candidates(self) -> list[_Entry]:
        """Entries worth opening: files given by name, and run-log-like names in containers."""
        return [entry for entry in self.entries if _worth_opening(entry)]

    def finish(self) -> None:
        """Note the files left unread, and say so when a folder or zip held no run log."""
        unread = [entry for entry in self.entries if not _worth_opening(entry)]
        if unread:
            self.result.skipped += len(unread)
            self.result.notes.append(
                f"{len(unread)} file(s) whose names say they are not run logs were left unread "
                f"(e.g. {unread[0].display})"
            )
        if self.container is not None and not self.result.runs and not self.result.errors:
            self.result.error(str(self.container), "found no run log in it (CSV, GPX, TCX or FIT)")


def _worth_opening(entry: _Entry) -> bool:
    return entry.explicit or _stem_suffix(entry.name) in CANDIDATE_SUFFIXES


def _group_of(path: Path) -> _Group:
    try:
        return _group_on_disk(path)
    except OSError as exc:  # unreadable folder, name too long, ...
        group = _Group(None, [])
        group.result.error(str(path), f"cannot be read ({exc})")
        return group


def _group_on_disk(path: Path) -> _Group:
    if path.is_dir():
        return _Group(path, _folder_entries(path))
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            return _Group(path, _zip_entries(path))
        except (OSError, zipfile.BadZipFile) as exc:
            group = _Group(None, [])
            group.result.error(str(path), f"not a readable zip archive ({exc})")
            return group
    if path.is_file():
        return _Group(None, [_file_entry(path, explicit=True)])
    group = _Group(None, [])
    group.result.error(str(path), "no such file or folder")
    return group


def _stem_suffix(name: PurePath) -> str:
    """`.fit` for `a.fit.gz`, `.csv` for `a.csv`."""
    if name.suffix.lower() == ".gz":
        name = name.with_suffix("")
    return name.suffix.lower()


def _read_entry(
    entry: _Entry, options: ImportOptions | None, group: ImportedRuns, covered: set[str]
) -> None:
    try:
        name, data = unwrap_gzip(entry.name, entry.load())
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        if entry.explicit or _stem_suffix(entry.name) in RUN_LOG_SUFFIXES:
            group.error(entry.display, f"cannot be read: {exc}")
        else:
            group.skip(entry.display, f"cannot be read: {exc}")
        return
    head = data[:HEAD_BYTES]
    importer = importer_for(name, head)
    if importer is None:
        reason = f"not a run log footlog knows: {describe_unknown(name, head)}"
        if entry.explicit or name.suffix.lower() in RUN_LOG_SUFFIXES:
            group.error(entry.display, reason)
        else:
            group.skip(entry.display, reason)
        return
    try:
        read = importer.read_bytes(data, entry.display, options)
    except Exception as exc:  # the safety net: one file never stops a batch
        group.error(
            entry.display,
            f"{importer.name}: footlog could not read it ({type(exc).__name__}: {exc}); "
            "this is a bug in footlog, please report it with the file",
        )
        return
    if not read.runs and not read.errors and not read.skipped:
        group.error(entry.display, f"{importer.name}: holds no activity")
        return
    for relative in read.covers:
        covered.add(posixpath.normpath(f"{entry.folder_key}/{relative}").casefold())
    group.extend(read)


def _without_repeats(result: ImportedRuns) -> ImportedRuns:
    """Keep one of runs that share an external_id (one export given twice, or a folder and
    its zip): the first complete one, else the first (a copy cut short loses to a whole one,
    whichever was read first)."""
    kept: list[Run] = []
    where: dict[str, int] = {}
    for run in result.runs:
        if run.external_id is None:
            kept.append(run)
            continue
        index = where.get(run.external_id)
        if index is None:
            where[run.external_id] = len(kept)
            kept.append(run)
            continue
        earlier = kept[index]
        if earlier.incomplete and not run.incomplete:
            kept[index] = run
            result.skip(earlier.source_file, f"a complete copy was read ({run.source_file})")
        else:
            result.skip(run.source_file, f"same activity as one read earlier ({run.external_id})")
    result.runs = kept
    return result


__all__ = [
    "HEAD_BYTES",
    "describe_unknown",
    "importer_for",
    "read_run_files",
    "register",
    "registered_importers",
]
