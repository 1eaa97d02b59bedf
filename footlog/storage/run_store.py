"""Runs, gear and events in a library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from footlog.domain.runs import Footwear, Run, classify_footwear, counts_toward_mileage
from footlog.storage.database import LibraryError
from footlog.storage.library import Library, Person, utc_now_iso


@dataclass
class SaveSummary:
    added: int = 0
    duplicates: int = 0


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
        "imported_at": utc_now_iso(),
    }


def save_runs(lib: Library, person: Person, runs: Iterable[Run]) -> SaveSummary:
    """Add runs in one transaction; a run whose external id is already there is skipped."""
    summary = SaveSummary()
    mapping = gear_map(lib, person)
    with lib.db.atomic():
        for run in runs:
            row = _row_for(run, person, mapping)
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            cur = lib.db.execute(
                f"INSERT INTO runs ({columns}) VALUES ({marks}) "
                "ON CONFLICT(person_id, external_id) DO NOTHING",
                list(row.values()),
            )
            if cur.rowcount:
                summary.added += 1
            else:
                summary.duplicates += 1
    return summary


def add_run(lib: Library, person: Person, run: Run) -> int:
    """Add one run entered by hand; returns its id."""
    if run.distance_m is not None and run.distance_m < 0:
        raise LibraryError("a distance cannot be negative")
    row = _row_for(run, person, gear_map(lib, person))
    with lib.db.atomic():
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = lib.db.execute(f"INSERT INTO runs ({columns}) VALUES ({marks})", list(row.values()))
    return int(cur.lastrowid)


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
    new = _row_for(_run_from_row(current), person, gear_map(lib, person))
    new.pop("imported_at")
    new.pop("person_id")
    sets = ", ".join(f"{k} = ?" for k in new)
    with lib.db.atomic():
        lib.db.execute(f"UPDATE runs SET {sets} WHERE id = ?", [*new.values(), run_id])


def delete_run(lib: Library, person: Person, run_id: int) -> None:
    with lib.db.atomic():
        lib.db.execute("DELETE FROM runs WHERE id = ? AND person_id = ?", [run_id, person.id])


def list_runs(lib: Library, person: Person | None = None) -> list[dict[str, Any]]:
    """Runs oldest first, with `person` (name) and `counts_toward_mileage` as a bool."""
    where, args = ("WHERE r.person_id = ?", [person.id]) if person else ("", [])
    rows = list(
        lib.db.query(
            f"SELECT r.*, people.name AS person FROM runs r "
            f"JOIN people ON people.id = r.person_id {where} ORDER BY r.start, r.id",
            args,
        )
    )
    for r in rows:
        r["counts_toward_mileage"] = bool(r["counts_toward_mileage"])
    return rows


# -- events -------------------------------------------------------------------------------


def add_event(lib: Library, person: Person, day: date, text: str, foot: str = "both") -> int:
    if not text.strip():
        raise LibraryError("an event needs a few words saying what happened")
    with lib.db.atomic():
        cur = lib.db.execute(
            "INSERT INTO events (person_id, date, text, foot) VALUES (?, ?, ?, ?)",
            [person.id, day.isoformat(), text.strip(), foot],
        )
    return int(cur.lastrowid)


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
    """
    where, args = ("AND person_id = ?", [person.id]) if person else ("", [])
    cur = lib.db.execute(
        "SELECT CAST(julianday(start, CASE WHEN substr(start, 20) GLOB '*[+Z-]*' "
        f"THEN 'localtime' ELSE '+0 days' END) - {_EPOCH_JD} + {_SHIFT_DAYS} AS INTEGER) "
        f"- {_SHIFT_DAYS}, footwear, distance_m FROM runs "
        f"WHERE counts_toward_mileage AND distance_m IS NOT NULL {where} "
        "ORDER BY start, id",
        args,
    )
    return cur.fetchall()
