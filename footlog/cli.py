"""The command line: every capability of the window is also scriptable.

Errors end with a non-zero exit and one line saying why; listings take `--json`. The
commands themselves live in `footlog.commands`.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from footlog import __version__
from footlog.commands.common import UsageError, printable
from footlog.crash_log import write_crash_log
from footlog.domain.runs import Footwear
from footlog.domain.views import MEASURES, Foot, View
from footlog.storage.errors import LibraryError, storage_error

__all__ = ["UsageError", "build_parser", "main"]


def _command(module: str, name: str) -> Callable[[argparse.Namespace], int | None]:
    """The command `name` of `footlog.commands.<module>`, imported only when it runs: each
    command's imports (the detector, sqlite-utils, matplotlib, Qt) are paid by it alone,
    which keeps `footlog measure PHOTO` and `footlog --help` quick to start."""

    def run(args: argparse.Namespace) -> int | None:
        command = getattr(importlib.import_module(f"footlog.commands.{module}"), name)
        return command(args)

    run.__name__ = name
    return run


# -- parser ----------------------------------------------------------------------------------


class _OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line like every other error (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"footlog: {message} (see `{self.prog} --help`)\n")


def _photo_id(text: str) -> int:
    """A photo id as typed: a whole number from 1 that SQLite can hold (below 2**63)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a photo id: {text!r}") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"no photo has the id {text} (ids count from 1)")
    return value


def _fraction(text: str) -> float:
    """A number from 0 to 1 (NaN refused: it would make every pixel garbage)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrorParser(
        prog="footlog",
        description="Track the structure of your feet against barefoot mileage.",
    )
    parser.add_argument("--version", action="version", version=f"footlog {__version__}")
    parser.add_argument("--library", type=Path, help="library folder (default: your data folder)")
    parser.add_argument("--person", help="whose photos and runs, when the library holds several")
    parser.set_defaults(func=_command("outputs", "cmd_gui"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="open the window on a demo library of real photos")
    p.add_argument("--no-window", action="store_true", help="build the library and print it")
    p.set_defaults(func=_command("outputs", "cmd_demo"))

    p = sub.add_parser("import", help="import photos or folders of photos")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--foot", choices=[f.value for f in Foot if f != Foot.UNKNOWN])
    p.add_argument("--view", choices=[v.value for v in View if v != View.UNKNOWN])
    p.add_argument("--no-measure", action="store_true", help="import without measuring")
    p.add_argument("--json", action="store_true")
    p.add_argument("--watch", action="store_true",
                   help="then keep watching the folder (one PATH) and import each new photo "
                        "once it has stopped growing, until Ctrl+C")
    p.add_argument("--watch-seconds", type=float, metavar="S",
                   help="with --watch: stop after S seconds")
    p.add_argument("--watch-every", type=float, metavar="S",
                   help="with --watch: look at the folder every S seconds (default 5)")
    p.set_defaults(func=_command("photos", "cmd_import"))

    p = sub.add_parser("measure", help="measure one photo file (no library needed)")
    p.add_argument("photo", metavar="PHOTO")
    p.add_argument("--view", choices=[v.value for v in View if v != View.UNKNOWN])
    p.add_argument("--foot", choices=[f.value for f in Foot if f != Foot.UNKNOWN])
    p.add_argument("--paper", choices=["a4", "letter"], default="a4",
                   help="the plain page's paper when its shape cannot tell (default a4)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("photos", "cmd_measure"))

    p = sub.add_parser("paper", help="show or set the library's paper (a4 or letter)")
    p.add_argument("paper", nargs="?", choices=["a4", "letter"])
    p.set_defaults(func=_command("photos", "cmd_paper"))

    p = sub.add_parser("photos", help="list the photos of the library")
    p.add_argument("--deleted", action="store_true", help="list the photos in the trash")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("photos", "cmd_photos"))

    p = sub.add_parser("delete-photo", help="move photos to the trash (restorable)")
    p.add_argument("ids", nargs="+", type=_photo_id, metavar="ID")
    p.set_defaults(func=_command("photos", "cmd_delete_photo"))

    p = sub.add_parser("restore-photo", help="take photos back out of the trash")
    p.add_argument("ids", nargs="+", type=_photo_id, metavar="ID")
    p.set_defaults(func=_command("photos", "cmd_restore_photo"))

    p = sub.add_parser("empty-trash", help="delete photos in the trash for good")
    p.add_argument(
        "ids", nargs="*", type=_photo_id, metavar="ID", help="only these (default: all)"
    )
    p.set_defaults(func=_command("photos", "cmd_empty_trash"))

    p = sub.add_parser(
        "measure-again", help="run the detector again (landmarks you placed are kept)"
    )
    p.add_argument("ids", nargs="*", type=_photo_id, metavar="ID")
    p.add_argument("--pending", action="store_true", help="photos left unmeasured")
    p.add_argument("--all", action="store_true", help="every photo")
    p.add_argument("--preview", action="store_true",
                   help="only list what would change, largest first; save nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("photos", "cmd_measure_again"))

    p = sub.add_parser(
        "landmarks", help="show a photo's landmarks and where each came from, or --set them"
    )
    p.add_argument("id", type=_photo_id, metavar="ID")
    p.add_argument("--set", metavar="FILE.json",
                   help="place the landmarks of FILE.json (`landmarks`: name -> [x, y] in "
                        "photo pixels) as yours, and recompute the measures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("landmarks", "cmd_landmarks"))

    p = sub.add_parser("confirm", help="confirm photos whose landmarks you have checked")
    p.add_argument("ids", nargs="+", type=_photo_id, metavar="ID")
    p.add_argument("--by", metavar="NAME", help="who confirms (default: your login name)")
    p.set_defaults(func=_command("landmarks", "cmd_confirm"))

    p = sub.add_parser("unconfirm", help="withdraw the confirmation of photos")
    p.add_argument("ids", nargs="+", type=_photo_id, metavar="ID")
    p.set_defaults(func=_command("landmarks", "cmd_unconfirm"))

    p = sub.add_parser(
        "import-landmarks",
        help="place the landmarks of labelme files (as 'export labelme' writes them) as yours")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("landmarks", "cmd_import_landmarks"))

    runs = sub.add_parser("runs", help="list runs; 'runs import', 'runs add', 'runs delete'")
    runs.add_argument("--json", action="store_true")
    runs.set_defaults(func=_command("runs", "cmd_runs"))
    runs_sub = runs.add_subparsers(dest="runs_command", metavar="ACTION")
    p = runs_sub.add_parser("import", help="import run logs (Strava, Garmin, GPX, TCX, FIT, CSV)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("runs", "cmd_runs_import"))
    p = runs_sub.add_parser("delete", help="delete runs by id (the first column of 'runs')")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print the deleted runs as JSON")
    p.set_defaults(func=_command("runs", "cmd_runs_delete"))
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
    p.set_defaults(func=_command("runs", "cmd_runs_add"))

    p = sub.add_parser("gear", help="list gear, or map a gear name to a footwear class")
    p.add_argument("name", nargs="?")
    p.add_argument("footwear", nargs="?", choices=[f.value for f in Footwear])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("runs", "cmd_gear"))

    p = sub.add_parser("events", help="list events, or add one: events --date D TEXT...")
    p.add_argument("text", nargs="*")
    p.add_argument("--date", help="2024-05-01 (default today)")
    p.add_argument("--foot", default="both", choices=["left", "right", "both"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("runs", "cmd_events"))

    p = sub.add_parser("people", help="list the people of the library, or --add NAME")
    p.add_argument("--add", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("runs", "cmd_people"))

    export = sub.add_parser("export", help="export data: 'export csv DIR', 'export labelme DIR'")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    p = export_sub.add_parser(
        "csv", help="photos, measures, runs, events, sessions, statistics, landmarks and "
        "calibration as CSV files"
    )
    p.add_argument("folder", metavar="DIR")
    p.set_defaults(func=_command("outputs", "cmd_export_csv"))
    p = export_sub.add_parser(
        "labelme", help="each photo's landmarks as a labelme file, beside a copy of the photo"
    )
    p.add_argument("folder", metavar="DIR")
    p.set_defaults(func=_command("outputs", "cmd_export_labelme"))

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
    p.set_defaults(func=_command("outputs", "cmd_chart"))

    p = sub.add_parser("compare", help="overlay two photos aligned on their landmarks")
    p.add_argument("first", type=_photo_id, metavar="PHOTO_ID")
    p.add_argument("second", type=_photo_id, metavar="PHOTO_ID")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--opacity", type=_fraction, default=0.5, help="of the second photo (0-1)")
    p.add_argument(
        "--curtain", type=_fraction, help="split at this fraction of the width instead"
    )
    p.set_defaults(func=_command("photos", "cmd_compare"))

    p = sub.add_parser("report", help="a PDF report for a clinician or a reader")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.set_defaults(func=_command("outputs", "cmd_report"))

    p = sub.add_parser("sheet", help="write the printable calibration sheet (PDF)")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.set_defaults(func=_command("outputs", "cmd_sheet"))

    p = sub.add_parser("measures", help="what each measure means and how far to trust it")
    p.add_argument("names", nargs="*", metavar="MEASURE", help="e.g. hallux_angle (all if none)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_command("outputs", "cmd_measures"))

    p = sub.add_parser("self-check", help="check headlessly that footlog works here")
    p.set_defaults(func=_command("outputs", "cmd_self_check"))

    p = sub.add_parser("check", help="verify the library: database, files and hashes")
    p.set_defaults(func=_command("outputs", "cmd_check"))

    p = sub.add_parser("backup", help="back the library up into one zip file")
    p.add_argument("file", metavar="FILE.zip")
    p.set_defaults(func=_command("backup", "cmd_backup"))

    p = sub.add_parser("restore", help="restore a backup into a new, empty folder")
    p.add_argument("file", metavar="FILE.zip")
    p.add_argument("folder", metavar="DIR")
    p.set_defaults(func=_command("backup", "cmd_restore"))
    return parser


class _HeldWarnings(logging.Handler):
    """What libraries log as warnings (matplotlib about its font cache, say), held back to be
    said as "footlog: warning: ..." lines once the command has succeeded. When it fails, its
    one error line is what matters: the warnings are mostly the same trouble seen from below.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(" ".join(record.getMessage().split()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    held = _HeldWarnings()
    if args.command not in (None, "demo"):  # not the window's: it runs for hours
        logging.getLogger().addHandler(held)
    try:
        return _run(args, held)
    finally:
        logging.getLogger().removeHandler(held)


def _run(args: argparse.Namespace, held: _HeldWarnings) -> int:
    """Run the command; every failure becomes one line on stderr and an exit status."""
    try:
        status = int(args.func(args) or 0)
        for line in held.lines if status == 0 else []:
            print(f"footlog: warning: {printable(line)}", file=sys.stderr)
        if getattr(args, "read_only_reason", None):
            print(f"footlog: warning: {printable(args.read_only_reason)}", file=sys.stderr)
        return status
    except (LibraryError, UsageError) as exc:
        # Messages may quote a name or a file's text: never let it drive the terminal.
        print(f"footlog: {printable(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        full = exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
        advice = ": free some space and try again" if full else ""
        what = printable(f"{exc.strerror or exc}{where}")
        print(f"footlog: {what}{advice}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        error = storage_error(exc, args.library or "the library")
        print(f"footlog: {printable(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("footlog: interrupted; what was finished is kept", file=sys.stderr)
        return 130
    except MemoryError:
        print("footlog: out of memory: the input is too large to handle", file=sys.stderr)
        return 1
    except Exception as exc:
        # A bug, not bad input: one line for the person, the traceback in a log for a report.
        log = write_crash_log(exc)
        print(
            f"footlog: internal error ({type(exc).__name__}: {printable(exc)}); nothing "
            f"finished was lost. Details for a bug report: {log}",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
