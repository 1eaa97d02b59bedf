"""footlog's command line run in a child process, and the contract every run of it keeps.

A child process is what a person or a script gets, so a crash (a signal, a traceback), a hang
(a timeout here) or a memory blow-up (an address-space limit here) shows as it would for
them. The contract, for any input however hostile:

- success is exit status 0, and no line on stderr claims an error (warnings are
  "footlog: warning: ..."; informational lines without the prefix are allowed);
- failure is a non-zero status with one non-empty line on stderr per problem, each starting
  with "footlog:";
- never a Python traceback, never "internal error" (footlog's last-resort line for a bug),
  never a Python warning printed by the interpreter, never death by a signal;
- a library keeps everything it held: each photo (id and SHA-256, trash included) with its
  measures, each run and event, and each photo file still hashes to its SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: Seconds one command may take before it counts as hung (a normal one takes about 1 s).
TIMEOUT_S = 60.0
#: Bytes of address space a command may map: a normal command maps well under 1 GiB, so a
#: blow-up ends in a MemoryError (footlog's "out of memory" line) instead of swapping.
ADDRESS_SPACE_LIMIT = 3 * 1024**3

SETPRIV = shutil.which("setpriv")
#: Runs a command as root without the capabilities that bypass file permissions, so that a
#: read-only file or folder is read-only for it too.
WITHOUT_ROOT_OVERRIDES = (
    [SETPRIV, "--bounding-set=-dac_override,-dac_read_search,-fowner"] if SETPRIV else []
)

_PYTHON_WARNING = re.compile(r"^\S.*:\d+: \w*Warning: ", re.MULTILINE)
_BUG_WORDS = ("Traceback (most recent call last)", "internal error", "this is a bug in footlog")

Arg = str | bytes | os.PathLike[str]


@dataclass(frozen=True)
class Outcome:
    """What one command did: its arguments, exit status and both outputs (text)."""

    argv: Sequence[Arg]
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def __str__(self) -> str:
        shown = " ".join(os.fsdecode(a) if not isinstance(a, str) else a for a in self.argv)
        return (
            f"$ footlog {shown!r}\nexit {self.code}\n--- stdout ---\n{self.out[-3000:]}"
            f"\n--- stderr ---\n{self.err[-3000:]}"
        )


def run_footlog(
    library: Path | None,
    *args: Arg,
    home: Path,
    cwd: Path | None = None,
    unprivileged: bool = False,
    file_size_limit: int | None = None,
    timeout: float = TIMEOUT_S,
) -> Outcome:
    """Run `python -m footlog [--library LIB] ARGS...` and return what it did.

    `home` stands in for the person's home folder (where a crash log would be written).
    `unprivileged` drops root's permission overrides (needs setpriv). `file_size_limit`
    (bytes) makes every file the command writes stop growing there, as on a full disk.
    """
    prefix = WITHOUT_ROOT_OVERRIDES if unprivileged else []
    if unprivileged and not prefix:
        raise RuntimeError("setpriv is needed to drop root's permission overrides")
    where = ["--library", library] if library is not None else []
    argv = [*prefix, sys.executable, "-m", "footlog", *where, *args]
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        # As on a desktop with a UTF-8 locale: output that UTF-8 cannot encode is an error.
        "PYTHONIOENCODING": "utf-8:strict",
    }
    env.pop("PYTHONWARNINGS", None)
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            preexec_fn=lambda: _limit_child(file_size_limit),
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"footlog {args!r} still ran after {timeout:.0f} s (a hang)") from exc
    return Outcome(
        argv=[*where, *args],
        code=done.returncode,
        out=done.stdout.decode("utf-8", "replace"),
        err=done.stderr.decode("utf-8", "replace"),
    )


def _limit_child(file_size_limit: int | None) -> None:
    """In the child, before footlog starts: cap its memory and, if asked, its file sizes."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    if file_size_limit is not None:
        # Past the limit a write fails with EFBIG instead of the process being killed by
        # SIGXFSZ, which is how a full disk looks to a program (ENOSPC, the same handling).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))


# -- the contract ------------------------------------------------------------------------------


def assert_no_bug(outcome: Outcome) -> None:
    """No traceback, no internal error, no interpreter warning, no death by a signal."""
    assert outcome.code >= 0, f"killed by signal {-outcome.code}\n{outcome}"
    for text in (outcome.out, outcome.err):
        for words in _BUG_WORDS:
            assert words not in text, f"{words!r} printed\n{outcome}"
    assert not _PYTHON_WARNING.search(outcome.err), f"a Python warning was printed\n{outcome}"


# C0 controls but newline and tab, DEL and C1 controls: printed raw they move the cursor,
# clear or recolour the terminal, or hide text (a name can hold any of them).
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_printable(outcome: Outcome) -> None:
    """Text from files and names reaches the terminal escaped, never as raw controls."""
    for name, text in (("stdout", outcome.out), ("stderr", outcome.err)):
        found = _RAW_CONTROL.search(text)
        assert not found, f"a raw control character {found.group()!r} on {name}\n{outcome}"


def assert_succeeded(outcome: Outcome) -> None:
    assert_no_bug(outcome)
    assert outcome.code == 0, f"expected success\n{outcome}"
    claims = [
        line
        for line in outcome.err_lines
        if line.startswith("footlog:") and not line.startswith("footlog: warning: ")
    ]
    assert not claims, f"an error line although the command succeeded\n{outcome}"


def assert_refused(outcome: Outcome, lines: int | None = 1) -> None:
    """A non-zero exit with `lines` lines on stderr (None: one or more), each "footlog: ..."."""
    assert_no_bug(outcome)
    assert outcome.code != 0, f"expected a refusal\n{outcome}"
    err = outcome.err_lines
    assert err, f"refused without saying why\n{outcome}"
    if lines is not None:
        assert len(err) == lines, f"expected {lines} line(s) on stderr\n{outcome}"
    for line in err:
        assert line.strip(), f"an empty line on stderr\n{outcome}"
        assert line.startswith("footlog:"), f"a stderr line without 'footlog:'\n{outcome}"


def assert_kept_contract(outcome: Outcome, lines: int | None = 1) -> None:
    """Either a success or a clean refusal: both are fine for inputs of doubtful use."""
    if outcome.code == 0:
        assert_succeeded(outcome)
    else:
        assert_refused(outcome, lines)


# -- what a library holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Holdings:
    """What must never be lost from a library: photos (trash included) with their SHA-256
    and file name, runs and events, by id, and the measures of each photo."""

    photos: dict[int, tuple[str, str]]  # id -> (sha256, file name under photos/)
    runs: frozenset[int]
    events: frozenset[int]
    measures: dict[int, dict[str, float]]  # photo id -> {measure: value}


def holdings(library: Path, scratch: Path) -> Holdings:
    """Read what the library's database holds, from a copy made in `scratch`.

    The copy (with any write-ahead log beside it) leaves the library itself untouched, even
    when it is read-only, and still sees what a process that died left in its log.
    """
    db = library / "footlog.db"
    assert db.is_file(), f"{db} is missing"
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "footlog.db"
    for suffix in ("", "-wal"):
        source = db.with_name(db.name + suffix)
        target = copy.with_name(copy.name + suffix)
        target.unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, target)
    conn = sqlite3.connect(copy)
    try:
        photos = {
            row[0]: (row[1], row[2])
            for row in conn.execute("SELECT id, sha256, file_name FROM photos")
        }
        runs = frozenset(row[0] for row in conn.execute("SELECT id FROM runs"))
        events = frozenset(row[0] for row in conn.execute("SELECT id FROM events"))
        measures: dict[int, dict[str, float]] = {}
        for photo_id, name, value in conn.execute("SELECT photo_id, name, value FROM measures"):
            measures.setdefault(photo_id, {})[name] = value
    finally:
        conn.close()
    return Holdings(photos, runs, events, measures)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_files_intact(before: Holdings, library: Path, ignore: frozenset[int] = frozenset()):
    """Each photo file of `before` is still in photos/ and hashes to its SHA-256."""
    for photo_id, (sha, name) in before.photos.items():
        if photo_id in ignore:
            continue
        path = library / "photos" / name
        assert path.is_file(), f"photo {photo_id}: its file {name} was lost"
        assert sha256_of(path) == sha, f"photo {photo_id}: its file {name} was changed"


def assert_nothing_lost(
    before: Holdings,
    library: Path,
    scratch: Path,
    deleted: frozenset[int] = frozenset(),
    spoiled: frozenset[int] = frozenset(),
) -> Holdings:
    """Everything of `before` is still in the library (but the photos in `deleted`) with the
    same measures, and every photo file of the library, old and new, hashes to its SHA-256
    (but the files of `spoiled` photos, damaged on purpose)."""
    after = holdings(library, scratch)
    for photo_id, (sha, _) in before.photos.items():
        if photo_id not in deleted:
            assert photo_id in after.photos, f"photo {photo_id} was lost"
            assert after.photos[photo_id][0] == sha, f"photo {photo_id}: its SHA-256 changed"
            # The detector is deterministic: measuring the same bytes again gives the same.
            kept = after.measures.get(photo_id, {})
            assert kept == before.measures.get(photo_id, {}), f"photo {photo_id}: measures lost"
    assert before.runs <= after.runs, f"runs lost: {sorted(before.runs - after.runs)}"
    assert before.events <= after.events, f"events lost: {sorted(before.events - after.events)}"
    assert_files_intact(after, library, ignore=spoiled)
    return after


#: What a stored run may hold, however odd its source: a start between these years, and a
#: distance (metres) and duration (seconds) that are finite, not negative and under these.
RUN_YEARS = (1900, 2100)
MAX_RUN_DISTANCE_M = 1e7  # 10,000 km
MAX_RUN_DURATION_S = 1e7  # about 115 days


def assert_runs_sane(library: Path, scratch: Path) -> None:
    """Every run stored has a real start date, distance and duration (or none of the last
    two): an importer that lets NaN, a negative distance or the year 9999 through pollutes
    every total and chart after it."""
    conn = sqlite3.connect(scratch / "footlog.db")  # the copy `holdings` made
    try:
        rows = conn.execute("SELECT id, start, distance_m, duration_s FROM runs").fetchall()
    finally:
        conn.close()
    for run_id, start, distance, duration in rows:
        year = datetime.fromisoformat(start).year
        assert RUN_YEARS[0] <= year <= RUN_YEARS[1], f"run {run_id} starts in {start}"
        if distance is not None:
            assert 0 <= distance < MAX_RUN_DISTANCE_M, f"run {run_id}: distance {distance} m"
        if duration is not None:
            assert 0 <= duration < MAX_RUN_DURATION_S, f"run {run_id}: duration {duration} s"


def assert_not_leaked(secret: str, outcome: Outcome, library: Path) -> None:
    """`secret` (the content of a file the input tried to pull in) is nowhere: not in the
    output, not in the database."""
    assert secret not in outcome.out and secret not in outcome.err, str(outcome)
    for path in library.glob("footlog.db*"):
        assert secret.encode() not in path.read_bytes(), f"{secret!r} was stored in {path.name}"


def copy_library(source: Path, target: Path) -> Path:
    """A copy of a library folder for one case (symlinks kept as links)."""
    shutil.copytree(source, target, symlinks=True)
    return target

