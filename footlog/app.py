"""Wiring of the layers: what the command line and the window both call.

Functions here take plain callbacks for progress and cancellation, so the command line can
drive a terminal progress bar and the window a Qt worker with the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from footlog.domain.views import Foot, View
from footlog.storage.importers.registry import read_run_files
from footlog.storage.library import Library, Person
from footlog.storage.photo_store import ImportReport, import_photo, walk_photo_paths
from footlog.storage.run_store import SaveSummary, save_runs

Progress = Callable[[int, int, str], None]  # (done, total, what is being done)
Cancelled = Callable[[], bool]


def import_photos(
    lib: Library,
    paths: Sequence[Path],
    person: Person,
    foot: Foot | None = None,
    view: View | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    measure: bool = True,
) -> ImportReport:
    """Import every photo under `paths`; one bad file never stops the batch.

    Each photo is committed on its own, so cancelling (or a kill) keeps what was done.
    """
    files = list(walk_photo_paths(paths))
    report = ImportReport()
    for index, path in enumerate(files):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(index, len(files), path.name)
        outcome = import_photo(lib, path, person, foot=foot, view=view)
        report.outcomes.append(outcome)
        if measure and outcome.result == "added" and outcome.photo_id is not None:
            measure_photo_in_library(lib, outcome.photo_id)
    if progress is not None:
        progress(len(report.outcomes), len(files), "done")
    return report


def measure_photo_in_library(lib: Library, photo_id: int) -> None:
    """Run the detector on a library photo and store its result (manual landmarks kept)."""
    try:
        from footlog.measuring import measure_library_photo
    except ImportError:  # the detector layer is optional until installed
        return
    measure_library_photo(lib, photo_id)


def import_runs(
    lib: Library, person: Person, paths: Iterable[Path]
) -> tuple[SaveSummary, list[str]]:
    """Read run logs of any known format and store their runs; returns (summary, errors)."""
    imported = read_run_files(list(paths))
    summary = save_runs(lib, person, imported.runs)
    return summary, list(imported.errors)
