"""Commands that write or show things: exports, charts, report, sheet, demo, window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from footlog.commands.common import (
    UsageError,
    open_library,
    parse_day,
    print_json,
    printable,
    progress_bar,
)
from footlog.storage.library import Library, Person


def cmd_export_csv(args: argparse.Namespace) -> int:
    from footlog.export_csv import export_csv

    return _export(args, export_csv)


def cmd_export_labelme(args: argparse.Namespace) -> int:
    from footlog.labelme import export_labelme

    return _export(args, export_labelme, "No photo has landmarks yet.")


def _export(args: argparse.Namespace,
            write: Callable[[Library, Path, Person | None], list[Path]],
            nothing: str = "") -> int:
    """Write the library's (or --person's) export into args.folder, printing each file."""
    with open_library(args) as lib:
        person = lib.person(args.person) if args.person else None
        written = write(lib, Path(args.folder), person)
    for path in written:
        print(path)
    if not written and nothing:
        print(nothing)
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from footlog.charts import CHARTS, save_figure
    from footlog.domain.stats_text import summary_lines
    from footlog.timeline import load_timeline

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"{out}: the chart is written as .png, .svg or .pdf")
    with open_library(args) as lib:
        data = load_timeline(
            lib, lib.person(args.person), parse_day(args.date_from), parse_day(args.date_to)
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

    with open_library(args) as lib:
        problems = check_library(lib)
    for p in problems:
        print(printable(p))
    print("library is consistent" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    from footlog.report import write_report

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UsageError("the report is a PDF: give --out FILE.pdf")
    # Said before the report is made, which can take a while.
    if out.is_dir() or not out.parent.is_dir():
        raise UsageError(f"{out}: give a file name in a folder that exists")
    with open_library(args) as lib:
        person = lib.person(args.person)
        path = write_report(
            lib,
            person,
            out,
            parse_day(args.date_from),
            parse_day(args.date_to),
            progress=(lambda text: print(f"  {text}…", file=sys.stderr))
            if sys.stderr.isatty()
            else None,
        )
    print(path)
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    from footlog.imaging.calibration_sheet import write_sheet

    path = write_sheet(Path(args.out), args.paper)
    print(f"{path}: print it at 100 % (actual size) and check the 100 mm ruler")
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    """What each measure is, what its sign means and how far to trust it (the words of
    Help ▸ Measures and of the report's methods)."""
    from footlog.domain.measure_guide import GUIDES

    unknown = [n for n in args.names if n not in GUIDES]
    if unknown:
        raise UsageError(f"no measure called {', '.join(unknown)}; footlog measures: "
                         f"{', '.join(GUIDES)}")
    guides = [GUIDES[n] for n in (args.names or GUIDES)]
    if args.json:
        print_json([{"name": g.name, "label": g.label, "unit": g.unit,
                     "plain_name": g.plain_name, "what": g.what, "larger": g.larger,
                     "smaller": g.smaller, "trust": g.trust_text(),
                     "how_drawn": g.how_drawn, "sign": g.sign,
                     "drawn_between": [list(pair) for pair in g.drawn_between]}
                    for g in guides])
        return 0
    for g in guides:
        sign = f"\n  sign: {g.sign}" if g.sign else ""
        print(f"{g.label} ({g.name}): {g.what}{sign}\n  larger: {g.larger}\n"
              f"  smaller: {g.smaller}\n  trust: {g.trust_text()}\n")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from footlog.demo import build_demo_library, demo_library_dir

    root = args.library or demo_library_dir()
    if (root / "footlog.db").exists():
        print(f"Opening the demo library in {root}", file=sys.stderr)
    else:
        print(f"Building a demo library in {root} …", file=sys.stderr)
        # With the window, the photos are measured there, in the background, with its
        # progress bar: the window shows at once instead of after ~10 s of a blank screen.
        build_demo_library(root, progress=progress_bar(13, "photo"),
                           measure=bool(args.no_window))
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
