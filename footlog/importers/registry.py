"""Which importer reads which file, and reading a batch of files, folders and zips.

Each format registers an `Importer`; `importer_for` asks them in order of priority whether
they recognise a file from its name and first bytes. `read_run_files` walks folders and zip
archives, reads every run log it finds, and collects problems instead of stopping.
"""

from __future__ import annotations

import contextlib
import gzip
import posixpath
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TypeVar

from footlog.domain.runs import Run
from footlog.importers.archives import (
    ArchiveRefused,
    Entry,
    Listing,
    file_entry,
    folder_entries,
    zip_entries,
)
from footlog.importers.base import ImportedRuns, Importer, ImportOptions
from footlog.importers.cells import first_csv_row, looks_binary
from footlog.importers.streams import OpenZips, Unreadable

#: In a Garmin account export, the folder of the original files (FIT, in nested zips) whose
#: activities its summarizedActivities.json already gives (keys are casefolded).
SUMMARY_COVERS = "di-connect-uploaded-files"


def is_summary(name: PurePath) -> bool:
    """A Garmin account export's activity summaries (garmin_export.py)."""
    return name.name.casefold().endswith("summarizedactivities.json")


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
    """Read every run log in `paths`: files, folders (walked recursively) and `.zip` archives
    (and zips inside them, within the bounds of `archives`).

    A Strava export (folder or zip) is read from its `activities.csv`; the activity files its
    rows name are not read again. `.gz` files are decompressed. An activity met twice in one
    batch (same `external_id`) is kept once. Files given by name that footlog cannot read are
    errors; unreadable files met inside folders and zips are skipped with a note (an export
    holds photos, profiles and other CSVs), except GPX/TCX/FIT files, whose problems are errors.
    Files are read as streams: CSV rows one at a time, never a whole archive member at once.
    Never raises for bad input.
    """
    # Archives inside archives are copied out to `scratch`, to be read like archives on disk.
    with (
        tempfile.TemporaryDirectory(prefix="footlog-import-") as scratch,
        contextlib.closing(OpenZips()) as zips,
    ):
        groups = [
            _group_of(Path(path), Listing(Path(scratch), zips, ImportedRuns())) for path in paths
        ]
        # Every CSV and activity summary of the batch first: a Strava activities.csv names
        # the activity files it already covers, wherever in the batch they were given, and a
        # Garmin account export's summaries stand for the FIT files uploaded with it.
        covered: set[str] = set()
        for summary_pass in (True, False):
            for group in groups:
                for entry in group.candidates():
                    if _is_summary_like(entry) is not summary_pass:
                        continue
                    if entry.key in covered:
                        group.result.skip(entry.display, covered_why(entry))
                    else:
                        read_before = len(group.result.runs)
                        _read_entry(entry, options, group.result, covered)
                        if is_summary(entry.name) and len(group.result.runs) > read_before:
                            covered.update(e.key for e in group.entries
                                           if SUMMARY_COVERS in e.key)
    result = ImportedRuns()
    for group in groups:
        group.finish()
        result.extend(group.result)
    return _without_repeats(result)


def _read_head(path: Path) -> bytes:
    """The first HEAD_BYTES of a file, decompressed when it is `.gz`."""
    with path.open("rb") as stream:
        if path.suffix.lower() != ".gz":
            return stream.read(HEAD_BYTES)
        with gzip.GzipFile(fileobj=stream) as inner:
            return inner.read(HEAD_BYTES)


def _stem_suffix(name: PurePath) -> str:
    """`.fit` for `a.fit.gz`, `.csv` for `a.csv`."""
    if name.suffix.lower() == ".gz":
        name = name.with_suffix("")
    return name.suffix.lower()


# --- Reading a group of entries ------------------------------------------------------------------


@dataclass
class _Group:
    """What one path given to `read_run_files` holds, and what was read from it.

    `container` is the folder or zip, None for a single file (or a path that is missing).
    """

    container: Path | None
    entries: list[Entry]
    result: ImportedRuns = field(default_factory=ImportedRuns)

    def candidates(self) -> list[Entry]:
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


def _worth_opening(entry: Entry) -> bool:
    return (entry.explicit or _stem_suffix(entry.name) in CANDIDATE_SUFFIXES
            or is_summary(entry.name))


def _is_summary_like(entry: Entry) -> bool:
    """Read in the first pass: files that say which other files they stand for."""
    return _stem_suffix(entry.name) == ".csv" or is_summary(entry.name)


def covered_why(entry: Entry) -> str:
    if SUMMARY_COVERS in entry.key:
        return "its activity is already read from the export's summarizedActivities.json"
    return "its activity is already read from a Strava CSV"


def _group_of(path: Path, listing: Listing) -> _Group:
    """What `path` holds; `listing.result` becomes the group's result."""
    group = _Group(None, [], listing.result)
    try:
        _fill_group(group, path, listing)
    except OSError as exc:  # unreadable folder, name too long, ...
        group.result.error(str(path), f"cannot be read ({exc})")
    return group


def _fill_group(group: _Group, path: Path, listing: Listing) -> None:
    if path.is_dir():
        group.container = path
        group.entries = folder_entries(path, listing)
    elif path.is_file() and path.suffix.lower() == ".zip":
        try:
            group.entries = zip_entries(path, listing)
            group.container = path
        except (OSError, zipfile.BadZipFile) as exc:
            group.result.error(str(path), f"not a readable zip archive ({exc})")
        except ArchiveRefused as exc:
            group.result.error(str(path), str(exc))
    elif path.is_file():
        group.entries = [file_entry(path, explicit=True)]
    else:
        group.result.error(str(path), "no such file or folder")


def _read_entry(
    entry: Entry, options: ImportOptions | None, group: ImportedRuns, covered: set[str]
) -> None:
    name, data = entry.name, entry.data
    if name.suffix.lower() == ".gz":
        name, data = name.with_suffix(""), data.gunzipped()
    try:
        head = data.head(HEAD_BYTES)
    except Unreadable as exc:
        if entry.explicit or _stem_suffix(entry.name) in RUN_LOG_SUFFIXES:
            group.error(entry.display, f"cannot be read: {exc}")
        else:
            group.skip(entry.display, f"cannot be read: {exc}")
        return
    importer = importer_for(name, head)
    if importer is None:
        reason = f"not a run log footlog knows: {describe_unknown(name, head)}"
        if entry.explicit or name.suffix.lower() in RUN_LOG_SUFFIXES:
            group.error(entry.display, reason)
        else:
            group.skip(entry.display, reason)
        return
    try:
        read = importer.read_source(data, entry.display, options)
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
