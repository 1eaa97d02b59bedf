"""`footlog backup FILE.zip` and `footlog restore FILE.zip DIR`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from footlog.commands.common import progress_bar
from footlog.storage.library import Library


def _terminal_progress(unit: str) -> Callable[[int, int, str], None]:
    """A progress callback whose bar is made once the total is known (on the first call)."""
    bar: list[Callable[[int, int, str], None] | None] = []

    def update(done: int, total: int, what: str) -> None:
        if not bar:
            bar.append(progress_bar(total, unit))
        if bar[0] is not None:
            bar[0](done, total, what)

    return update


def cmd_backup(args: argparse.Namespace) -> int:
    from footlog.storage.backup import backup_library

    # create=False: backing up a library that is not there must not make an empty one.
    with Library.open(args.library, create=False) as lib:
        summary = backup_library(lib, Path(args.file), progress=_terminal_progress("file"))
    print(summary.path)
    trash = f" ({summary.photos_in_trash} in the trash)" if summary.photos_in_trash else ""
    print(
        f"  {summary.photos} photos{trash} and the database, {summary.bytes / 1e6:,.1f} MB",
        file=sys.stderr,
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from footlog.storage.backup import restore_library

    summary = restore_library(
        Path(args.file), Path(args.folder), progress=_terminal_progress("file")
    )
    print(summary.path)
    print(
        f"  {summary.photos} photos and the database restored and verified; "
        f"open it with: footlog --library {summary.path}",
        file=sys.stderr,
    )
    return 0
