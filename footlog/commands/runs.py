"""Commands about runs, gear, events and people."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

from footlog.commands.common import (
    UsageError,
    open_library,
    parse_when,
    print_json,
    printable,
    selected_person,
)
from footlog.domain.runs import Footwear, Run
from footlog.domain.units import format_duration, parse_distance_m, parse_duration_s


def _run_json(r: dict[str, Any]) -> dict[str, Any]:
    from footlog.export_csv import run_record

    return run_record(r)


def _km(metres: float | None) -> str:
    if metres is None or not math.isfinite(metres):
        return "      ? km"
    return f"{metres / 1000:7.2f} km"


def _run_line(r: dict[str, Any]) -> str:
    """One run as `footlog runs` lists it; stored text printed with control characters
    escaped (a name from an imported file must not drive the terminal)."""
    flags = "" if r["counts_toward_mileage"] else "  (not counted)"
    if r.get("incomplete"):
        flags += "  (incomplete: its file ends early)"
    return (
        f"{r['id']:>6}  {printable(r['start'][:16])}  {_km(r['distance_m'])}  "
        f"{format_duration(r['duration_s']):>8}  {printable(r['activity_type']):<6} "
        f"{r['footwear']:<8} {printable(r['name'])}{flags}"
    )


def cmd_runs(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import list_runs

    with open_library(args) as lib:
        person = selected_person(lib, args)
        runs = list_runs(lib, person)
    if args.json:
        print_json([_run_json(r) for r in runs])
        return 0
    if not runs:
        print(
            "No runs yet. Import a log with: footlog runs import FILE, or add one: footlog runs add"
        )
        return 0
    for r in runs:
        print(_run_line(r))
    return 0


def cmd_runs_import(args: argparse.Namespace) -> int:
    from footlog.app import import_runs

    with open_library(args) as lib:
        summary, errors = import_runs(lib, lib.person(args.person), [Path(p) for p in args.files])
    stored = summary.added + summary.duplicates + summary.replaced
    failed = bool(errors) and stored == 0
    if args.json:
        print_json(
            {
                "added": summary.added,
                "incomplete": summary.incomplete,
                "replaced": summary.replaced,
                "duplicates": summary.duplicates,
                "rejected": summary.rejected,
                "errors": errors,
            }
        )
    else:
        # When some runs were imported the problems did not stop the command: warnings.
        prefix = "footlog: " if failed else "footlog: warning: "
        for e in errors:
            print(prefix + printable(e), file=sys.stderr)
        print(f"{summary.headline()}, {len(errors)} problem(s)")
    return 1 if failed else 0


def cmd_runs_add(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import add_run

    try:
        distance = parse_distance_m(args.distance)
        duration = parse_duration_s(args.duration) if args.duration else None
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    run = Run(
        start=parse_when(args.date),
        distance_m=distance,
        duration_s=duration,
        activity_type=args.type,
        name=args.name or "",
        gear=args.gear or "",
        source_file="manual",
        footwear_override=Footwear(args.footwear) if args.footwear else None,
    )
    with open_library(args) as lib:
        # Checked there (run_limits): a date or distance out of range ends with one line.
        run_id = add_run(lib, lib.person(args.person), run)
    print(f"run {run_id} added")
    return 0


def cmd_runs_delete(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import delete_runs

    with open_library(args) as lib:
        # All or none: an id that is not one of the person's runs deletes nothing.
        deleted = delete_runs(lib, lib.person(args.person), args.ids)
    if args.json:
        print_json([_run_json(r) for r in deleted])
        return 0
    for r in deleted:
        print(f"deleted {_run_line(r).lstrip()}")
    print(f"{len(deleted)} run(s) deleted")
    return 0


def cmd_gear(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import gear_map, set_gear

    with open_library(args) as lib:
        person = lib.person(args.person)
        if args.name:
            if not args.footwear:
                raise UsageError("say which class: footlog gear NAME barefoot|minimal|shod|unknown")
            changed = set_gear(lib, person, args.name, Footwear(args.footwear))
            print(f"'{printable(args.name)}' is {args.footwear}; {changed} run(s) reclassified")
            return 0
        mapping = gear_map(lib, person)
    if args.json:
        print_json([{"gear": k, "footwear": str(v)} for k, v in mapping.items()])
    else:
        for k, v in mapping.items():
            print(f"{printable(k)}: {v}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import add_event, list_events

    with open_library(args) as lib:
        person = lib.person(args.person) if args.person or len(lib.people()) <= 1 else None
        if args.text:
            if person is None:
                person = lib.person(args.person)
            try:
                day = date.fromisoformat(args.date) if args.date else date.today()
            except ValueError as exc:
                raise UsageError(f"not a date: {args.date!r} (use 2024-05-01)") from exc
            event_id = add_event(lib, person, day, " ".join(args.text), args.foot)
            print(f"event {event_id} added")
            return 0
        events = list_events(lib, person)
    if args.json:
        print_json(events)
    else:
        for e in events:
            print(f"{e['id']:>4}  {printable(e['date'])}  {e['foot']:<5}  {printable(e['text'])}")
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        if args.add:
            person = lib.add_person(args.add)
            print(f"added {printable(person.name)}")
            return 0
        people = lib.people()
    if args.json:
        print_json([{"id": p.id, "name": p.name} for p in people])
    else:
        for p in people:
            print(printable(p.name))
    return 0
