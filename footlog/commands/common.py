"""What every command shares: errors, output, opening the library, dates."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from footlog.storage.library import Library, Person


class UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def print_json(obj: Any) -> None:
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    # A file name with bytes that are not UTF-8 holds lone surrogates, which cannot be
    # written as UTF-8: they are written as JSON escapes instead, which give the same name
    # back to a script (`os.fsencode(json.loads(...))` in Python).
    sys.stdout.write(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


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
    lib = Library.open(args.library)
    if lib.read_only_reason:
        args.read_only_reason = lib.read_only_reason
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
    if when.tzinfo is None:
        when = when.astimezone()  # a time typed by a person is their local time
    return when.astimezone(UTC)
