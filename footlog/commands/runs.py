"""Commands about runs, gear, events and people."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from footlog.commands.common import (
    UsageError,
    open_library,
    parse_when,
    print_json,
    selected_person,
)
from footlog.domain.runs import Footwear, Run
from footlog.domain.units import format_duration, parse_distance_m, parse_duration_s


def _run_json(r: dict[str, Any]) -> dict[str, Any]:
    from footlog.storage.export_csv import RUN_COLUMNS

    return {k: r[k] for k in RUN_COLUMNS}


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
        km = f"{r['distance_m'] / 1000:7.2f} km" if r["distance_m"] is not None else "      ? km"
        counted = "" if r["counts_toward_mileage"] else "  (not counted)"
        print(
            f"{r['id']:>6}  {r['start'][:16]}  {km}  {format_duration(r['duration_s']):>8}  "
            f"{r['activity_type']:<6} {r['footwear']:<8} {r['name']}{counted}"
        )
    return 0


def cmd_runs_import(args: argparse.Namespace) -> int:
    from footlog.app import import_runs

    with open_library(args) as lib:
        summary, errors = import_runs(lib, lib.person(args.person), [Path(p) for p in args.files])
    failed = bool(errors) and summary.added == 0 and summary.duplicates == 0
    if args.json:
        print_json({"added": summary.added, "duplicates": summary.duplicates, "errors": errors})
    else:
        # When some runs were imported the problems did not stop the command: warnings.
        prefix = "footlog: " if failed else "footlog: warning: "
        for e in errors:
            print(prefix + e, file=sys.stderr)
        print(
            f"{summary.added} run(s) added, {summary.duplicates} already there, "
            f"{len(errors)} problem(s)"
        )
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
        run_id = add_run(lib, lib.person(args.person), run)
    print(f"run {run_id} added")
    return 0


def cmd_gear(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import gear_map, set_gear

    with open_library(args) as lib:
        person = lib.person(args.person)
        if args.name:
            if not args.footwear:
                raise UsageError("say which class: footlog gear NAME barefoot|minimal|shod|unknown")
            changed = set_gear(lib, person, args.name, Footwear(args.footwear))
            print(f"{args.name!r} is {args.footwear}; {changed} run(s) reclassified")
            return 0
        mapping = gear_map(lib, person)
    if args.json:
        print_json([{"gear": k, "footwear": str(v)} for k, v in mapping.items()])
    else:
        for k, v in mapping.items():
            print(f"{k}: {v}")
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
            print(f"{e['id']:>4}  {e['date']}  {e['foot']:<5}  {e['text']}")
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        if args.add:
            person = lib.add_person(args.add)
            print(f"added {person.name}")
            return 0
        people = lib.people()
    if args.json:
        print_json([{"id": p.id, "name": p.name} for p in people])
    else:
        for p in people:
            print(p.name)
    return 0
