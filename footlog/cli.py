"""The command line: every capability of the window is also scriptable.

Errors end with a non-zero exit and one line saying why; listings take `--json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from footlog import __version__
from footlog.domain.runs import Footwear, Run
from footlog.domain.units import format_duration, parse_distance_m, parse_duration_s
from footlog.domain.views import MEASURES, Foot, View
from footlog.storage.database import LibraryError
from footlog.storage.library import Library


class UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


# -- output helpers ------------------------------------------------------------------------


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _progress_bar(total: int, unit: str) -> Callable[[int, int, str], None] | None:
    """A tqdm bar on stderr when it is a terminal, else nothing (scripts get clean output)."""
    if not sys.stderr.isatty() or total < 2:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, file=sys.stderr, leave=False)

    def update(done: int, _total: int, what: str) -> None:
        bar.n = done
        bar.set_postfix_str(what[:30], refresh=False)
        bar.refresh()
        if done >= _total:
            bar.close()

    return update


def _open_library(args: argparse.Namespace) -> Library:
    return Library.open(args.library)


# -- photos ----------------------------------------------------------------------------------


def _photo_json(p: dict[str, Any]) -> dict[str, Any]:
    taken = datetime.fromisoformat(p["taken_at"])
    if p["utc_offset_min"] is not None:
        from datetime import timedelta, timezone

        taken = taken.replace(tzinfo=timezone(timedelta(minutes=p["utc_offset_min"])))
    return {
        "id": p["id"],
        "sha256": p["sha256"],
        "person": p["person"],
        "taken_at": taken.isoformat(),
        "taken_at_source": p["taken_at_source"],
        "foot": p["foot"],
        "view": p["view"],
        "status": p["status"],
        "measures": p["measures"],
        "warnings": p["warnings"],
        "original_name": p["original_name"],
        "width": p["width"],
        "height": p["height"],
        "note": p["note"],
    }


def cmd_import(args: argparse.Namespace) -> int:
    from footlog.app import import_photos
    from footlog.storage.photo_store import walk_photo_paths

    paths = [Path(p) for p in args.paths]
    with _open_library(args) as lib:
        person = lib.person(args.person)
        total = sum(1 for _ in walk_photo_paths(paths))
        report = import_photos(
            lib,
            paths,
            person,
            foot=Foot(args.foot) if args.foot else None,
            view=View(args.view) if args.view else None,
            progress=_progress_bar(total, "photo"),
            measure=not args.no_measure,
        )
    if args.json:
        _print_json(
            [
                {
                    "path": str(o.path),
                    "result": o.result,
                    "photo_id": o.photo_id,
                    "reason": o.reason,
                }
                for o in report.outcomes
            ]
        )
    else:
        for o in report.outcomes:
            if o.result == "duplicate":
                print(f"{o.path}: already in the library (photo {o.photo_id})")
            elif o.result == "error":
                print(f"{o.path}: not imported: {o.reason}", file=sys.stderr)
        added, dup, err = (len(report.of(r)) for r in ("added", "duplicate", "error"))
        print(f"{added} photo(s) added, {dup} already there, {err} not imported")
    return 1 if report.of("error") else 0


def cmd_photos(args: argparse.Namespace) -> int:
    from footlog.storage.photo_store import list_photos

    with _open_library(args) as lib:
        person = lib.person(args.person) if args.person or len(lib.people()) == 1 else None
        photos = list_photos(lib, person)
    if args.json:
        _print_json([_photo_json(p) for p in photos])
        return 0
    if not photos:
        print("No photos yet. Import some with: footlog import PHOTO_OR_FOLDER")
        return 0
    for p in photos:
        main = ", ".join(f"{k}={v:.1f}" for k, v in list(p["measures"].items())[:2])
        print(
            f"{p['id']:>5}  {p['taken_at'][:16]}  {p['foot']:<7} {p['view']:<8} "
            f"{p['status']:<7} {main}  {p['original_name']}"
        )
    return 0


# -- runs ------------------------------------------------------------------------------------


def _run_json(r: dict[str, Any]) -> dict[str, Any]:
    from footlog.storage.export_csv import RUN_COLUMNS

    return {k: r[k] for k in RUN_COLUMNS}


def cmd_runs(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import list_runs

    with _open_library(args) as lib:
        person = lib.person(args.person) if args.person or len(lib.people()) == 1 else None
        runs = list_runs(lib, person)
    if args.json:
        _print_json([_run_json(r) for r in runs])
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

    with _open_library(args) as lib:
        summary, errors = import_runs(lib, lib.person(args.person), [Path(p) for p in args.files])
    if args.json:
        _print_json({"added": summary.added, "duplicates": summary.duplicates, "errors": errors})
    else:
        for e in errors:
            print(e, file=sys.stderr)
        print(
            f"{summary.added} run(s) added, {summary.duplicates} already there, "
            f"{len(errors)} problem(s)"
        )
    return 1 if errors and summary.added == 0 and summary.duplicates == 0 else 0


def _parse_when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"not a date: {text!r} (use 2024-05-01 or 2024-05-01T07:30)") from exc
    if when.tzinfo is None:
        when = when.astimezone()  # a time typed by a person is their local time
    return when.astimezone(UTC)


def cmd_runs_add(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import add_run

    try:
        distance = parse_distance_m(args.distance)
        duration = parse_duration_s(args.duration) if args.duration else None
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    run = Run(
        start=_parse_when(args.date),
        distance_m=distance,
        duration_s=duration,
        activity_type=args.type,
        name=args.name or "",
        gear=args.gear or "",
        source_file="manual",
        footwear_override=Footwear(args.footwear) if args.footwear else None,
    )
    with _open_library(args) as lib:
        run_id = add_run(lib, lib.person(args.person), run)
    print(f"run {run_id} added")
    return 0


def cmd_gear(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import gear_map, set_gear

    with _open_library(args) as lib:
        person = lib.person(args.person)
        if args.name:
            if not args.footwear:
                raise UsageError("say which class: footlog gear NAME barefoot|minimal|shod|unknown")
            changed = set_gear(lib, person, args.name, Footwear(args.footwear))
            print(f"{args.name!r} is {args.footwear}; {changed} run(s) reclassified")
            return 0
        mapping = gear_map(lib, person)
    if args.json:
        _print_json([{"gear": k, "footwear": str(v)} for k, v in mapping.items()])
    else:
        for k, v in mapping.items():
            print(f"{k}: {v}")
    return 0


# -- events, people, export ------------------------------------------------------------------


def cmd_events(args: argparse.Namespace) -> int:
    from footlog.storage.run_store import add_event, list_events

    with _open_library(args) as lib:
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
        _print_json(events)
    else:
        for e in events:
            print(f"{e['id']:>4}  {e['date']}  {e['foot']:<5}  {e['text']}")
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    with _open_library(args) as lib:
        if args.add:
            person = lib.add_person(args.add)
            print(f"added {person.name}")
            return 0
        people = lib.people()
    if args.json:
        _print_json([{"id": p.id, "name": p.name} for p in people])
    else:
        for p in people:
            print(p.name)
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    from footlog.storage.export_csv import export_csv

    with _open_library(args) as lib:
        person = lib.person(args.person) if args.person else None
        written = export_csv(lib, Path(args.folder), person)
    for path in written:
        print(path)
    return 0


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"not a date: {text!r} (use 2024-05-01)") from exc


def cmd_chart(args: argparse.Namespace) -> int:
    from footlog.charts import CHARTS, save_figure
    from footlog.domain.stats_text import summary_lines
    from footlog.timeline import load_timeline

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"{out}: the chart is written as .png, .svg or .pdf")
    with _open_library(args) as lib:
        data = load_timeline(
            lib, lib.person(args.person), _parse_day(args.date_from), _parse_day(args.date_to)
        )
    measure = args.measure or (
        data.measures_present[0] if data.measures_present else "hallux_angle"
    )
    if args.kind == "overview":
        fig = CHARTS["overview"](data, args.foot)
    else:
        fig = CHARTS[args.kind](data, measure, args.foot)
    save_figure(fig, out)
    print(out)
    if args.kind != "overview":
        feet = ("left", "right") if args.foot == "both" else (args.foot,)
        for line in summary_lines(data.stats, measure, feet):
            print(f"  {line}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from footlog.storage.integrity import check_library

    with _open_library(args) as lib:
        problems = check_library(lib)
    for p in problems:
        print(p)
    print("library is consistent" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_measure(args: argparse.Namespace) -> int:
    from footlog.imaging.photo_io import PhotoError
    from footlog.measuring import measure_file

    try:
        result = measure_file(
            Path(args.photo),
            View(args.view) if args.view else View.UNKNOWN,
            Foot(args.foot) if args.foot else Foot.UNKNOWN,
        )
    except PhotoError as exc:
        raise UsageError(f"{args.photo}: {exc.reason}") from exc
    if args.json:
        _print_json(result.to_json())
    else:
        print(f"{result.view} view, {result.foot} foot: {result.status}")
        for name, value in result.measures.items():
            unit = MEASURES[name].unit
            print(f"  {MEASURES[name].label}: {value:.1f}{'' if unit == '1' else ' ' + unit}")
        for warning in result.warnings:
            print(f"  ! {warning}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from footlog.compare import compare_photos, render_overlay

    with _open_library(args) as lib:
        try:
            comparison = compare_photos(lib, args.first, args.second)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        image = render_overlay(lib, comparison, opacity=args.opacity, curtain=args.curtain)
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise UsageError("the overlay is written as PNG or JPEG: give --out FILE.png")
    image.save(out)
    print(comparison.summary())
    for name, diff in comparison.differences().items():
        unit = MEASURES[name].unit if name in MEASURES else ""
        print(
            f"  {name}: {comparison.measures_first[name]:.2f} -> "
            f"{comparison.measures_second[name]:.2f} ({diff:+.2f} {unit})"
        )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from footlog.report import write_report

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UsageError("the report is a PDF: give --out FILE.pdf")
    with _open_library(args) as lib:
        person = lib.person(args.person)
        path = write_report(
            lib, person, out, _parse_day(args.date_from), _parse_day(args.date_to),
            progress=(lambda text: print(f"  {text}…", file=sys.stderr))
            if sys.stderr.isatty() else None,
        )
    print(path)
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    from footlog.imaging.calibration_sheet import write_sheet

    path = write_sheet(Path(args.out), args.paper)
    print(f"{path}: print it at 100 % (actual size) and check the 100 mm ruler")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from footlog.demo import build_demo_library, demo_library_dir

    root = args.library or demo_library_dir()
    if (root / "footlog.db").exists():
        print(f"Opening the demo library in {root}", file=sys.stderr)
    else:
        print(f"Building a demo library in {root} …", file=sys.stderr)
        build_demo_library(root, progress=_progress_bar(13, "photo"))
    if args.no_window:
        print(root)
        return 0
    args.library = root
    return cmd_gui(args)


def cmd_self_check(args: argparse.Namespace) -> int:
    from footlog.self_check import run_self_check

    results = run_self_check()
    for name, passed, detail in results:
        print(f"{'ok  ' if passed else 'FAIL'} {name}: {detail}")
    return 0 if all(passed for _, passed, _ in results) else 1


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from footlog.gui.main import run_gui
    except ImportError as exc:
        raise UsageError(f"the window cannot start: {exc}") from exc
    return run_gui(args.library)


# -- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="footlog",
        description="Track the structure of your feet against barefoot mileage.",
    )
    parser.add_argument("--version", action="version", version=f"footlog {__version__}")
    parser.add_argument("--library", type=Path, help="library folder (default: your data folder)")
    parser.add_argument("--person", help="whose photos and runs, when the library holds several")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="open the window on a demo library of real photos")
    p.add_argument("--no-window", action="store_true", help="build the library and print it")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import photos or folders of photos")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--foot", choices=[f.value for f in Foot if f != Foot.UNKNOWN])
    p.add_argument("--view", choices=[v.value for v in View if v != View.UNKNOWN])
    p.add_argument("--no-measure", action="store_true", help="import without measuring")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("measure", help="measure one photo file (no library needed)")
    p.add_argument("photo", metavar="PHOTO")
    p.add_argument("--view", choices=[v.value for v in View if v != View.UNKNOWN])
    p.add_argument("--foot", choices=[f.value for f in Foot if f != Foot.UNKNOWN])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_measure)

    p = sub.add_parser("photos", help="list the photos of the library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_photos)

    runs = sub.add_parser("runs", help="list runs; 'runs import FILE', 'runs add'")
    runs.add_argument("--json", action="store_true")
    runs.set_defaults(func=cmd_runs)
    runs_sub = runs.add_subparsers(dest="runs_command", metavar="ACTION")
    p = runs_sub.add_parser("import", help="import run logs (Strava, Garmin, GPX, TCX, FIT, CSV)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_runs_import)
    p = runs_sub.add_parser("add", help="add a run by hand")
    p.add_argument("--date", required=True, help="2024-05-01 or 2024-05-01T07:30 (local time)")
    p.add_argument("--distance", required=True, help="5.2km, 3mi, 5200m (a bare number is km)")
    p.add_argument("--duration", help="45:00, 1:02:03 or 90min")
    p.add_argument(
        "--type", default="run", choices=["run", "walk", "hike", "ride", "swim", "other"]
    )
    p.add_argument("--name")
    p.add_argument("--gear")
    p.add_argument("--footwear", choices=[f.value for f in Footwear])
    p.set_defaults(func=cmd_runs_add)

    p = sub.add_parser("gear", help="list gear, or map a gear name to a footwear class")
    p.add_argument("name", nargs="?")
    p.add_argument("footwear", nargs="?", choices=[f.value for f in Footwear])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gear)

    p = sub.add_parser("events", help="list events, or add one: events --date D TEXT...")
    p.add_argument("text", nargs="*")
    p.add_argument("--date", help="2024-05-01 (default today)")
    p.add_argument("--foot", default="both", choices=["left", "right", "both"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("people", help="list the people of the library, or --add NAME")
    p.add_argument("--add", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_people)

    export = sub.add_parser("export", help="export data: 'export csv DIR'")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    p = export_sub.add_parser(
        "csv", help="photos, measures, runs, events, sessions and statistics as CSV files"
    )
    p.add_argument("folder", metavar="DIR")
    p.set_defaults(func=cmd_export_csv)

    p = sub.add_parser("chart", help="draw the timeline as PNG, SVG or PDF: 'chart timeline'")
    p.add_argument(
        "kind",
        choices=["timeline", "scatter", "overview"],
        help="timeline: over time with mileage; scatter: against barefoot km; "
        "overview: all measures",
    )
    p.add_argument("--out", required=True, metavar="FILE.(png|svg|pdf)")
    p.add_argument("--measure", choices=sorted(MEASURES), help="default: the first measured")
    p.add_argument("--foot", choices=["left", "right", "both"], default="both")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day, 2020-01-01")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, 2024-12-31")
    p.set_defaults(func=cmd_chart)

    p = sub.add_parser("compare", help="overlay two photos aligned on their landmarks")
    p.add_argument("first", type=int, metavar="PHOTO_ID")
    p.add_argument("second", type=int, metavar="PHOTO_ID")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--opacity", type=float, default=0.5, help="of the second photo (0-1)")
    p.add_argument("--curtain", type=float, help="split at this fraction of the width instead")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("report", help="a PDF report for a clinician or a reader")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("sheet", help="write the printable calibration sheet (PDF)")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.set_defaults(func=cmd_sheet)

    p = sub.add_parser("self-check", help="check headlessly that footlog works here")
    p.set_defaults(func=cmd_self_check)

    p = sub.add_parser("check", help="verify the library: database, files and hashes")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (LibraryError, UsageError) as exc:
        print(f"footlog: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"footlog: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("footlog: interrupted; what was finished is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
