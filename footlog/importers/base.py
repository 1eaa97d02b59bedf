"""What every run-log importer returns, the options it honours, and the interface it implements.

Importers parse; they never touch the database. Problems are collected in
`ImportedRuns.errors` with the file (and line) they concern, so one bad row or one bad file
never stops a batch (GoldenCheetah's rule: errors collected, not thrown).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path, PurePath
from typing import Literal

from footlog.domain.runs import Run
from footlog.importers.streams import MAX_DECOMPRESSED_BYTES, ByteSource, Unreadable

DistanceUnit = Literal["km", "mi", "m"]

#: Metres in one of each distance unit footlog reads.
METRES_PER_UNIT: dict[str, float] = {"km": 1000.0, "mi": 1609.344, "m": 1.0}

#: Said of an XML run log cut off mid-document and read up to where it ends.
ENDS_EARLY = (
    "the file ends early (cut off mid-document); what came before was read and its run marked "
    "incomplete (its distance and time may be short): import the complete file to replace it"
)


@dataclass(frozen=True)
class ImportOptions:
    """What the person can tell importers that a file may not say itself.

    `distance_unit`: the unit of distance columns that do not name their unit (Garmin Connect
    CSV "Distance", a plain CSV "distance" column, a Strava CSV that has only its display-unit
    "Distance" column). None means kilometres, except where a format says otherwise.
    `local_tz`: the zone of wall-clock times that carry no offset (Garmin Connect CSV "Date",
    plain CSV dates). None means this computer's zone, with its daylight-saving rules.
    """

    distance_unit: DistanceUnit | None = None
    local_tz: tzinfo | None = None


@dataclass
class ImportedRuns:
    """The outcome of reading one file, or a batch of files.

    `runs`: the activities read (every activity type, not only runs; see
    `footlog.domain.runs.counts_toward_mileage`).
    `errors`: one line per problem, starting with the file and, for rows, the line number.
    `skipped`: how many files or rows were deliberately left out (an activity file a Strava
    CSV row already covers, a repeated activity, a file in a folder that is not a run log);
    `notes` says which and why.
    `covers`: activity files, relative to the folder of the file read, that the runs read here
    already account for (a Strava CSV's "Filename" column); the registry does not read them again.
    """

    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)

    def extend(self, other: ImportedRuns) -> None:
        """Add another result to this one (`covers` is per file and is not carried over)."""
        self.runs.extend(other.runs)
        self.errors.extend(other.errors)
        self.skipped += other.skipped
        self.notes.extend(other.notes)

    def error(self, source: str, message: str, line: int | None = None) -> None:
        """Record a problem in `source`, at `line` when it concerns one row."""
        where = f"{source}: line {line}" if line is not None else source
        self.errors.append(f"{where}: {message}")

    def skip(self, source: str, reason: str) -> None:
        """Count something deliberately left out, and say why in `notes`."""
        self.skipped += 1
        self.notes.append(f"{source}: skipped: {reason}")


def file_id(prefix: str, data: bytes) -> str:
    """A stable external id for a whole file: the format's prefix and its SHA-256 (first 128
    bits), so the same file read twice gives the same id wherever it lies."""
    return f"{prefix}:{hashlib.sha256(data).hexdigest()[:32]}"


class RowIds:
    """Stable external ids for rows of files that have no id column (Garmin Connect CSV,
    plain CSV): a hash of what the row says, with a count for rows that say the same thing
    (two identical 5 km runs logged for one day stay two runs, and stay so on re-import)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: dict[str, int] = {}

    def next(self, *parts: object) -> str:
        digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:24]
        count = self.seen.get(digest, 0) + 1
        self.seen[digest] = count
        return f"{self.prefix}:{digest}" + (f"#{count}" if count > 1 else "")


class Importer(ABC):
    """One run-log format. Subclasses are registered with `registry.register`.

    `name` is shown to the person ("Strava export CSV"); `priority` orders the registry's
    questions (higher first), so specific CSV layouts are asked before the generic one.
    """

    name: str = "importer"
    priority: int = 0
    #: Largest file (bytes) `read_source` hands to `read_bytes`: parsers that hold a whole
    #: document in memory (XML trees) need several times its size.
    max_bytes: int = MAX_DECOMPRESSED_BYTES

    @abstractmethod
    def recognises(self, path: PurePath, head: bytes) -> bool:
        """Whether this importer reads the file, judged from its name and first bytes.

        `head` holds the first bytes of the file (after gzip decompression, and the path then
        has its `.gz` dropped). Must be cheap and must not raise.
        """

    @abstractmethod
    def read_bytes(
        self, data: bytes, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        """Parse a whole file. `source` names it in errors and in `Run.source_file`.

        Must not raise on bad input: problems go to the result's `errors`.
        """

    def read_source(
        self, data: ByteSource, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        """Parse a file given as a stream of bytes; by default read whole into `read_bytes`.
        Importers that can read row by row override this, so that the file never needs to be
        in memory at once. Must not raise on bad input."""
        try:
            content = data.read_all(self.max_bytes)
        except Unreadable as exc:
            result = ImportedRuns()
            result.error(source, f"cannot be read: {exc}")
            return result
        if len(content) > self.max_bytes:
            result = ImportedRuns()
            result.error(
                source,
                f"larger than {self.max_bytes // 10**6} MB, more than any {self.name} file "
                "footlog reads",
            )
            return result
        return self.read_bytes(content, source, options)

    def read(self, path: Path, options: ImportOptions | None = None) -> ImportedRuns:
        """Parse the file at `path` (a `.gz` file is decompressed first)."""
        data = ByteSource.of_file(path)
        if path.suffix.lower() == ".gz":
            data = data.gunzipped()
        return self.read_source(data, str(path), options)


class RowImporter(Importer):
    """An importer that reads its file as a stream, row by row (the CSV formats): its
    parser is `read_source`, and a whole file in memory is read through it too."""

    def read_bytes(
        self, data: bytes, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        return self.read_source(ByteSource.of_bytes(data), source, options)

    @abstractmethod
    def read_source(
        self, data: ByteSource, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        """Parse the stream; must not raise on bad input (see Importer.read_source)."""
