"""Runs, gear and events in a library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from footlog.domain.run_limits import EARLIEST_DAY, MAX_DISTANCE_M, latest_day, run_problem
from footlog.domain.runs import Footwear, Run, classify_footwear, counts_toward_mileage
from footlog.storage.database import LibraryError, inserted_id
from footlog.storage.library import Library, Person, utc_now_iso


@dataclass
class SaveSummary:
    """What saving a batch of runs did.

    `added`: runs stored anew, of which `incomplete` were read from files that end early.
    `duplicates`: runs already there (same external id; or an incomplete copy of a run the
    library already holds, which never replaces it).
    `replaced`: incomplete runs replaced by a complete copy of the same activity (same
    external id, or same start and type); each keeps its id.
    `rejected`: one line per run not saved, saying which and why (`run_limits.run_problem`).
    """

    added: int = 0
    duplicates: int = 0
    replaced: int = 0
    incomplete: int = 0
    rejected: list[str] = field(default_factory=list)

    def headline(self) -> str:
        """What was done, in words: "3 run(s) added (1 incomplete), 1 replaced an incomplete
        copy, 2 already there, 1 rejected"; parts that are zero and rare are left out."""
        added = f"{self.added} run(s) added"
        if self.incomplete:
            added += f" ({self.incomplete} incomplete)"
        parts = [added]
        if self.replaced:
            parts.append(f"{self.replaced} replaced an incomplete copy")
        parts.append(f"{self.duplicates} already there")
        if self.rejected:
            parts.append(f"{len(self.rejected)} rejected")
        return ", ".join(parts)


def gear_map(lib: Library, person: Person) -> dict[str, Footwear]:
    """The person's gear-name to footwear-class mapping."""
    return {
        r["name"]: Footwear(r["footwear"])
        for r in lib.db.query("SELECT name, footwear FROM gear WHERE person_id = ?", [person.id])
    }


def set_gear(lib: Library, person: Person, name: str, footwear: Footwear) -> int:
    """Map a gear name to a footwear class and reclassify the person's runs; returns how
    many runs changed class."""
    name = name.strip()
    if not name:
        raise LibraryError("gear needs a name")
    with lib.db.atomic():
        lib.db.execute(
            "INSERT INTO gear (person_id, name, footwear) VALUES (?, ?, ?) "
            "ON CONFLICT(person_id, name) DO UPDATE SET footwear = excluded.footwear",
            [person.id, name, str(footwear)],
        )
        return _reclassify(lib, person)


def remove_gear(lib: Library, person: Person, name: str) -> int:
    with lib.db.atomic():
        lib.db.execute("DELETE FROM gear WHERE person_id = ? AND name = ?", [person.id, name])
        return _reclassify(lib, person)


def _run_from_row(r: dict[str, Any]) -> Run:
    return Run(
        start=datetime.fromisoformat(r["start"]),
        distance_m=r["distance_m"],
        duration_s=r["duration_s"],
        activity_type=r["activity_type"],
        name=r["name"],
        description=r["description"],
        gear=r["gear"],
        source_file=r["source_file"],
        external_id=r["external_id"],
        footwear_override=Footwear(r["footwear_override"]) if r["footwear_override"] else None,
        incomplete=bool(r.get("incomplete")),
    )


def _reclassify(lib: Library, person: Person) -> int:
    mapping = gear_map(lib, person)
    changed = 0
    rows = list(lib.db.query("SELECT * FROM runs WHERE person_id = ?", [person.id]))
    for r in rows:
        footwear, source = classify_footwear(_run_from_row(r), mapping)
        if (str(footwear), str(source)) != (r["footwear"], r["footwear_source"]):
            lib.db.execute(
                "UPDATE runs SET footwear = ?, footwear_source = ? WHERE id = ?",
                [str(footwear), str(source), r["id"]],
            )
            changed += 1
    return changed


def _row_for(run: Run, person: Person, mapping: dict[str, Footwear]) -> dict[str, Any]:
    footwear, source = classify_footwear(run, mapping)
    start = run.start if run.start.tzinfo else run.start.replace(tzinfo=UTC)
    return {
        "person_id": person.id,
        "start": start.isoformat(timespec="seconds"),
        "distance_m": run.distance_m,
        "duration_s": run.duration_s,
        "activity_type": run.activity_type,
        "name": run.name,
        "description": run.description,
        "gear": run.gear,
        "footwear": str(footwear),
        "footwear_source": str(source),
        "footwear_override": str(run.footwear_override) if run.footwear_override else None,
        "counts_toward_mileage": int(counts_toward_mileage(run.activity_type)),
        "source_file": run.source_file,
        "external_id": run.external_id,
        "incomplete": int(bool(run.incomplete)),
        "imported_at": utc_now_iso(),
    }


def rejection(run: Run, problem: str) -> str:
    """The line that says a run was not saved: where it came from, and why."""
    where = run.source_file or "a run"
    if run.source_line is not None:
        where += f": line {run.source_line}"
    else:
        where += f": the {run.activity_type or 'activity'} of {_when(run.start)}"
    return f"{where}: not imported: {problem}"


def _when(start: datetime) -> str:
    return start.isoformat(timespec="minutes").replace("T", " ")[:16]


def _epoch(start: datetime) -> int:
    """Whole seconds since 1970 (UTC), as SQLite's strftime('%s', start) gives them."""
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    return int(start.timestamp())


class _IncompleteRuns:
    """The person's stored incomplete runs, found by external id or by (start, type): what a
    complete copy replaces. Kept in memory for a batch; the library holds few of them."""

    def __init__(self, lib: Library, person: Person) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_start: dict[tuple[int, str], dict[str, Any]] = {}
        for row in lib.db.query(
            "SELECT id, external_id, activity_type, footwear_override, "
            "CAST(strftime('%s', start) AS INTEGER) AS epoch "
            "FROM runs WHERE person_id = ? AND incomplete = 1",
            [person.id],
        ):
            self.add(row)

    def add(self, row: dict[str, Any]) -> None:
        if row["external_id"] is not None:
            self.by_id[row["external_id"]] = row
        if row["epoch"] is not None:
            self.by_start[(int(row["epoch"]), row["activity_type"])] = row

    def remove(self, row: dict[str, Any]) -> None:
        for key in [k for k, v in self.by_id.items() if v is row]:
            del self.by_id[key]
        for start in [k for k, v in self.by_start.items() if v is row]:
            del self.by_start[start]

    def match(self, run: Run) -> dict[str, Any] | None:
        if run.external_id is not None and run.external_id in self.by_id:
            return self.by_id[run.external_id]
        return self.by_start.get((_epoch(run.start), run.activity_type))


def _holds_id(lib: Library, person: Person, external_id: str) -> bool:
    found = lib.db.execute(
        "SELECT 1 FROM runs WHERE person_id = ? AND external_id = ?", [person.id, external_id]
    ).fetchone()
    return found is not None


def _holds(lib: Library, person: Person, run: Run) -> bool:
    """Whether the library already holds this activity: a run with the same external id, or
    with the same start (to the second, whatever the offset) and type."""
    if run.external_id is not None and _holds_id(lib, person, run.external_id):
        return True
    # The text range narrows the search to the index; strftime compares the instants.
    low = (run.start - timedelta(days=1)).date().isoformat()
    high = (run.start + timedelta(days=2)).date().isoformat()
    found = lib.db.execute(
        "SELECT 1 FROM runs WHERE person_id = ? AND start >= ? AND start < ? "
        "AND activity_type = ? AND CAST(strftime('%s', start) AS INTEGER) = ?",
        [person.id, low, high, run.activity_type, _epoch(run.start)],
    ).fetchone()
    return found is not None


def _insert(lib: Library, row: dict[str, Any], ignore_same_id: bool = True) -> int | None:
    """Insert a run row; its id, or None when a run with its external id is already there."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conflict = " ON CONFLICT(person_id, external_id) DO NOTHING" if ignore_same_id else ""
    cur = lib.db.execute(
        f"INSERT INTO runs ({columns}) VALUES ({marks}){conflict}", list(row.values())
    )
    return inserted_id(cur) if cur.rowcount else None


def _replace_incomplete(
    lib: Library, person: Person, old: dict[str, Any], run: Run, mapping: dict[str, Footwear]
) -> None:
    """Overwrite an incomplete run with its complete copy, keeping its id (and a footwear
    class the person set on it, unless the copy states one)."""
    if run.footwear_override is None and old["footwear_override"]:
        run = replace(run, footwear_override=Footwear(old["footwear_override"]))
    new = _row_for(replace(run, incomplete=False), person, mapping)
    new.pop("person_id")
    sets = ", ".join(f"{k} = ?" for k in new)
    lib.db.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*new.values(), old["id"]])


def save_runs(lib: Library, person: Person, runs: Iterable[Run]) -> SaveSummary:
    """Add runs in one transaction; returns what was done (see `SaveSummary`).

    Each run is checked first (`run_limits.run_problem`): one outside the limits is rejected
    with its reason and the others are saved. A run whose external id is already there is
    skipped. A complete run replaces a stored incomplete copy of the same activity (same
    external id, or same start and type) and keeps its id; an incomplete run is skipped when
    the library already holds that activity, complete or not.
    """
    summary = SaveSummary()
    mapping = gear_map(lib, person)
    today = date.today()
    with lib.db.atomic():
        pending = _IncompleteRuns(lib, person)
        for run in runs:
            problem = run_problem(run, today)
            if problem is not None:
                summary.rejected.append(rejection(run, problem))
                continue
            if run.incomplete:
                if _holds(lib, person, run):
                    summary.duplicates += 1
                    continue
                row = _row_for(run, person, mapping)
                run_id = _insert(lib, row, ignore_same_id=False)
                assert run_id is not None
                pending.add(
                    {
                        "id": run_id,
                        "external_id": run.external_id,
                        "activity_type": run.activity_type,
                        "footwear_override": row["footwear_override"],
                        "epoch": _epoch(run.start),
                    }
                )
                summary.added += 1
                summary.incomplete += 1
                continue
            old = pending.match(run)
            if old is not None and (
                old["external_id"] == run.external_id
                or run.external_id is None
                or not _holds_id(lib, person, run.external_id)
            ):
                _replace_incomplete(lib, person, old, run, mapping)
                pending.remove(old)
                summary.replaced += 1
            elif _insert(lib, _row_for(run, person, mapping)) is not None:
                summary.added += 1
            else:
                summary.duplicates += 1
    return summary


def add_run(lib: Library, person: Person, run: Run) -> int:
    """Add one run entered by hand; returns its id.

    Raises LibraryError, saying why, when its date, distance or duration is outside the
    limits (`run_limits.run_problem`).
    """
    problem = run_problem(run)
    if problem is not None:
        raise LibraryError(f"cannot save this run: {problem}")
    row = _row_for(run, person, gear_map(lib, person))
    with lib.db.atomic():
        run_id = _insert(lib, row, ignore_same_id=False)
    assert run_id is not None
    return run_id


RUN_EDITABLE = {
    "start",
    "distance_m",
    "duration_s",
    "activity_type",
    "name",
    "description",
    "gear",
    "footwear_override",
}


def update_run(lib: Library, person: Person, run_id: int, **changes: Any) -> None:
    """Edit a run's fields; footwear and mileage counting are decided again."""
    unknown = set(changes) - RUN_EDITABLE
    if unknown:
        raise LibraryError(f"cannot edit {', '.join(sorted(unknown))} of a run")
    row = lib.db.execute("SELECT * FROM runs WHERE id = ? AND person_id = ?", [run_id, person.id])
    cols = [d[0] for d in row.description]
    found = row.fetchone()
    if found is None:
        raise LibraryError(f"no run with id {run_id}")
    current = dict(zip(cols, found, strict=True))
    current.update(
        {k: (str(v) if isinstance(v, (datetime, Footwear)) else v) for k, v in changes.items()}
    )
    if isinstance(changes.get("start"), datetime):
        current["start"] = changes["start"].isoformat(timespec="seconds")
    edited = _run_from_row(current)
    problem = run_problem(edited)
    if problem is not None:
        raise LibraryError(f"cannot save this run: {problem}")
    new = _row_for(edited, person, gear_map(lib, person))
    new.pop("imported_at")
    new.pop("person_id")
    sets = ", ".join(f"{k} = ?" for k in new)
    with lib.db.atomic():
        lib.db.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*new.values(), run_id])


#: Ids per statement: well under SQLite's limit on bound parameters.
_IDS_PER_QUERY = 500


def delete_runs(lib: Library, person: Person, run_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Delete the person's runs by id, all or none; returns the deleted rows (as `list_runs`
    gives them), in the order asked.

    Raises LibraryError naming the ids that are not the person's runs, and deletes nothing.
    """
    wanted = list(dict.fromkeys(int(run_id) for run_id in run_ids))
    if not wanted:
        return []
    with lib.db.atomic():
        found: dict[int, dict[str, Any]] = {}
        for first in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[first : first + _IDS_PER_QUERY]
            marks = ", ".join("?" for _ in chunk)
            for row in lib.db.query(
                f"SELECT r.*, people.name AS person FROM runs r "
                f"JOIN people ON people.id = r.person_id "
                f"WHERE r.person_id = ? AND r.id IN ({marks})",
                [person.id, *chunk],
            ):
                found[row["id"]] = _listed(row)
        missing = [run_id for run_id in wanted if run_id not in found]
        if missing:
            ids = ", ".join(str(run_id) for run_id in missing)
            plural = "s" if len(missing) > 1 else ""
            raise LibraryError(
                f"no run{plural} with id{plural} {ids} for {person.name}; nothing was deleted"
            )
        for first in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[first : first + _IDS_PER_QUERY]
            marks = ", ".join("?" for _ in chunk)
            lib.db.execute(
                f"DELETE FROM runs WHERE person_id = ? AND id IN ({marks})", [person.id, *chunk]
            )
    return [found[run_id] for run_id in wanted]


def _listed(row: dict[str, Any]) -> dict[str, Any]:
    """A runs row as `list_runs` gives it: flags as booleans."""
    row["counts_toward_mileage"] = bool(row["counts_toward_mileage"])
    row["incomplete"] = bool(row.get("incomplete"))
    return row


def list_runs(lib: Library, person: Person | None = None) -> list[dict[str, Any]]:
    """Runs oldest first, with `person` (name), and `counts_toward_mileage` and `incomplete`
    as booleans."""
    where, args = ("WHERE r.person_id = ?", [person.id]) if person else ("", [])
    return [
        _listed(r)
        for r in lib.db.query(
            f"SELECT r.*, people.name AS person FROM runs r "
            f"JOIN people ON people.id = r.person_id {where} ORDER BY r.start, r.id",
            args,
        )
    ]


# -- events -------------------------------------------------------------------------------


def add_event(lib: Library, person: Person, day: date, text: str, foot: str = "both") -> int:
    if not text.strip():
        raise LibraryError("an event needs a few words saying what happened")
    with lib.db.atomic():
        cur = lib.db.execute(
            "INSERT INTO events (person_id, date, text, foot) VALUES (?, ?, ?, ?)",
            [person.id, day.isoformat(), text.strip(), foot],
        )
    return inserted_id(cur)


def list_events(lib: Library, person: Person | None = None) -> list[dict[str, Any]]:
    where, args = ("WHERE e.person_id = ?", [person.id]) if person else ("", [])
    return list(
        lib.db.query(
            f"SELECT e.*, people.name AS person FROM events e "
            f"JOIN people ON people.id = e.person_id {where} ORDER BY e.date, e.id",
            args,
        )
    )


def update_event(lib: Library, event_id: int, **changes: Any) -> None:
    allowed = {"date", "text", "foot"}
    if set(changes) - allowed:
        raise LibraryError("an event has only a date, a text and a foot")
    if isinstance(changes.get("date"), date):
        changes["date"] = changes["date"].isoformat()
    sets = ", ".join(f"{k} = ?" for k in changes)
    with lib.db.atomic():
        lib.db.execute(f"UPDATE events SET {sets} WHERE id = ?", [*changes.values(), event_id])


def delete_event(lib: Library, event_id: int) -> None:
    with lib.db.atomic():
        lib.db.execute("DELETE FROM events WHERE id = ?", [event_id])



# Julian day of 1970-01-01 00:00; the shift by a million days makes CAST (which cuts towards
# zero) round down for runs before 1970 too.
_EPOCH_JD = 2440587.5
_SHIFT_DAYS = 1_000_000


def mileage_rows(lib: Library, person: Person | None = None) -> list[tuple[int, str, float]]:
    """(local day, footwear class, metres) of each run that counts toward mileage and has a
    distance, oldest first: what weekly and cumulative distance need, in one lean query.

    The day is a number, days since 1970-01-01, of the run's start on this computer's clock
    (as `mileage.local_day`: SQLite's 'localtime' asks the same C library as Python's
    `astimezone()`); a start without a UTC offset is already local time. A 10-year daily
    log is 3,650 of these tuples instead of 3,650 dicts, datetimes and MileageRuns.

    Runs outside `run_limits` (saved by an older footlog: dated 9999, an infinite or negative
    distance) are left out, as `run_limits.usable_in_sums` would: they would break the sums.
    """
    where, args = ("AND person_id = ?", [person.id]) if person else ("", [])
    # The same test as `usable_in_sums`, in SQL: the day as stored, the distance finite
    # (SQLite stores an infinity as a REAL that no bound below MAX_DISTANCE_M admits).
    limits = (
        "AND distance_m >= 0 AND distance_m < ? AND substr(start, 1, 10) >= ? "
        "AND substr(start, 1, 10) <= ?"
    )
    bounds = [MAX_DISTANCE_M, EARLIEST_DAY.isoformat(), latest_day().isoformat()]
    cur = lib.db.execute(
        "SELECT CAST(julianday(start, CASE WHEN substr(start, 20) GLOB '*[+Z-]*' "
        f"THEN 'localtime' ELSE '+0 days' END) - {_EPOCH_JD} + {_SHIFT_DAYS} AS INTEGER) "
        f"- {_SHIFT_DAYS}, footwear, distance_m FROM runs "
        f"WHERE counts_toward_mileage AND distance_m IS NOT NULL {limits} {where} "
        "ORDER BY start, id",
        [*bounds, *args],
    )
    return cur.fetchall()
