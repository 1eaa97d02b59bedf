"""What every command shares: errors, output, opening the library, dates."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from footlog.storage.errors import LONE_SURROGATES

if TYPE_CHECKING:
    # Imported where a library is opened: `footlog measure PHOTO` never opens one, and
    # sqlite-utils is a tenth of a second of a cold start.
    from footlog.storage.library import Library, Person


class UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


# Cc: C0/C1 controls and DEL; Zl, Zp: line and paragraph separators; Cs: lone surrogates,
# which stand for the bytes of a file name that are not UTF-8 (output cannot encode them).
_UNPRINTABLE = frozenset({"Cc", "Zl", "Zp", "Cs"})
# Bidirectional-text controls: invisible, and they reorder what follows on the line (a run
# named with U+202E shows its text backwards).
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f") | frozenset(
    chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """`value` as text safe to print to a terminal: control characters shown escaped.

    Text read from imported files and stored in the library (run, gear and person names,
    event texts, photo file names, messages quoting a file) may hold ESC, BEL and other
    control characters that a terminal would obey: retitle the window, clear the screen,
    move the cursor. Each control character (C0 and C1, DEL, tab and line breaks, the Unicode
    line and paragraph separators, and bidirectional controls) becomes an escape such as
    `\\x1b` or `\\u202e`, and so does each byte of a file name that is not UTF-8 (`\\udcff`);
    everything else, accents and emoji included, is kept.
    JSON output needs none of this: `json.dumps` escapes control characters itself.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and not _BIDI_CONTROLS.intersection(text):
        return text  # the common case, at C speed
    return "".join(
        _escaped(char)
        if unicodedata.category(char) in _UNPRINTABLE or char in _BIDI_CONTROLS
        else char
        for char in text
    )


def print_json(obj: Any) -> None:
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    # A file name with bytes that are not UTF-8 holds lone surrogates, which cannot be
    # written as UTF-8: they are written as JSON escapes instead, which give the same name
    # back to a script (`os.fsencode(json.loads(...))` in Python).
    sys.stdout.write(LONE_SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def progress_bar(total: int, unit: str) -> Callable[[int, int, str], None] | None:
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


def open_library(args: argparse.Namespace) -> Library:
    """The library of `--library`. Why it is read-only (damage, permissions), if it is, is
    kept on `args` so the command line can say so once the command has finished."""
    from footlog.storage.library import Library

    lib = Library.open(args.library)
    if lib.read_only_reason:
        args.read_only_reason = lib.read_only_reason
    if lib.location_warning and not getattr(args, "location_warned", False):
        print(f"footlog: warning: {lib.location_warning}", file=sys.stderr)
        args.location_warned = True
    return lib


def selected_person(lib: Library, args: argparse.Namespace) -> Person | None:
    """The person `--person` names, the only one when the library has one, else None
    (a listing of everyone)."""
    return lib.person(args.person) if args.person or len(lib.people()) == 1 else None


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"not a date: {text!r} (use 2024-05-01)") from exc


def parse_when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"not a date: {text!r} (use 2024-05-01 or 2024-05-01T07:30)") from exc
    if when.tzinfo is not None:
        return when
    # A time typed by a person is their local time, and is kept so (with its offset, as the
    # Runs tab's dialog keeps it): the day checked and stored is the day they typed.
    try:
        return when.astimezone()
    except (OverflowError, OSError, ValueError):
        # At the ends of the calendar (9999-12-31T23:59 west of UTC) the zone's offset for
        # that day cannot be looked up: today's is used, and the run limits say what is wrong.
        return when.replace(tzinfo=datetime.now().astimezone().tzinfo)
