"""Wiring of the layers: what the command line and the window both call.

Functions here take plain callbacks for progress and cancellation, so the command line can
drive a terminal progress bar and the window a Qt worker with the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from footlog.domain.photo import Photo
from footlog.domain.views import Foot, View
from footlog.storage.library import Library, Person
from footlog.storage.photo_store import (
    ImportReport,
    import_photo_decoded,
    orphaned_pending,
    update_photo,
    walk_photo_paths,
)
from footlog.storage.run_store import SaveSummary, save_runs

if TYPE_CHECKING:
    import numpy as np

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
    overrides: Mapping[Path, Mapping[str, str]] | None = None,
) -> ImportReport:
    """Import every photo under `paths`; one bad file never stops the batch.

    Each photo is committed on its own, so cancelling (or a kill) keeps what was done.
    `overrides` maps a file to facts the person chose before importing it: `foot`, `view`
    and `taken_at` (ISO 8601 wall-clock time), which win over what footlog would guess.

    Photos are measured from the decode that verified them, in a pool of processes beside
    the import for a batch worth one (`measure_pool.PhotoMeasurer`); a cancel stops within
    one photo, leaving the photos imported but not measured yet `pending`, for the next
    import to measure.
    """
    files = list(walk_photo_paths(paths))
    overrides = overrides or {}
    report = ImportReport()
    stopped = cancelled or (lambda: False)
    waiting: set[int] = set()  # photos imported, their measuring not stored yet

    def tell(what: str) -> None:
        if progress is not None:
            progress(len(report.outcomes) - len(waiting), len(files), what)

    measurer, decode_side = None, None
    # Photos a killed process (or a cancelled import) left unmeasured are measured with
    # this batch, after its own photos.
    left_over = orphaned_pending(lib) if measure else []
    if measure:  # the detectors load only for an import that measures
        from footlog.measure_pool import PhotoMeasurer
        from footlog.measuring import ANALYSIS_MAX_SIDE

        measurer = PhotoMeasurer(lib, len(files) + len(left_over), stopped, waiting.discard)
        decode_side = ANALYSIS_MAX_SIDE
    try:
        for path in files:
            if stopped():
                break
            tell(path.name)
            facts = overrides.get(path, {})
            outcome, decoded = import_photo_decoded(
                lib,
                path,
                person,
                foot=Foot(facts["foot"]) if facts.get("foot") else foot,
                view=View(facts["view"]) if facts.get("view") else view,
                measure=measure,
                decode_side=decode_side,
            )
            report.outcomes.append(outcome)
            if outcome.result != "added" or outcome.photo_id is None:
                continue
            if facts.get("taken_at"):
                update_photo(lib, outcome.photo_id, taken_at=facts["taken_at"])
            if measurer is not None and outcome.reason != "restored from the trash":
                waiting.add(outcome.photo_id)
                measurer.measure(outcome.photo_id, decoded)
            del decoded  # its picture is the measurer's now, or no one's
        if measurer is not None:
            for photo, _before, problem in photos_to_measure(lib, left_over, cancelled=stopped):
                if problem is None:  # (a missing or changed file is left as it is)
                    measurer.measure(photo.id)
            tell("the last photos")
            measurer.finish()
    finally:
        if measurer is not None:
            measurer.close()
    if progress is not None:
        progress(len(report.outcomes), len(files), "done")
    return report


@dataclass(frozen=True)
class MeasureChange:
    """A photo measured again: its status and measures before and after."""

    photo_id: int
    status_before: str
    status_after: str
    before: dict[str, float]
    after: dict[str, float]
    problem: str | None = None  # why it was not measured again (then nothing changed)

    @property
    def changed(self) -> bool:
        return self.status_before != self.status_after or self.before != self.after


def measure_again(
    lib: Library,
    photo_ids: Sequence[int],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[MeasureChange]:
    """Run the detector again on library photos (landmarks placed by hand are kept).

    Each photo is stored on its own, so cancelling keeps what was done. A photo whose file
    is missing or was changed behind footlog's back is left as it was (its landmarks and
    measures were made from the right bytes), with the `problem` said in its change.
    """
    from footlog.storage.measure_store import load_measures
    from footlog.storage.photo_store import get_photo

    changes: list[MeasureChange] = []
    for photo, before, problem in photos_to_measure(lib, photo_ids, progress, cancelled):
        photo_id = photo.id
        if problem:
            changes.append(problem)
            continue
        measure_photo_in_library(lib, photo_id)
        changes.append(
            MeasureChange(
                photo_id,
                photo.status,
                get_photo(lib, photo_id).status,
                before,
                load_measures(lib, photo_id),
            )
        )
    if progress is not None:
        progress(len(changes), len(photo_ids), "done")
    return changes


def photos_to_measure(
    lib: Library,
    photo_ids: Sequence[int],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Iterator[tuple[Photo, dict[str, float], MeasureChange | None]]:
    """Each photo to measure again with its measures before, saying progress and stopping
    when cancelled; the third item is the unchanged `MeasureChange` of a photo whose file is
    missing or was changed behind footlog's back (it is not measured), else None."""
    from footlog.storage.integrity import photo_file_problem
    from footlog.storage.measure_store import load_measures
    from footlog.storage.photo_store import get_photo

    for index, photo_id in enumerate(photo_ids):
        if cancelled is not None and cancelled():
            return
        photo = get_photo(lib, photo_id)
        if progress is not None:
            progress(index, len(photo_ids), photo.original_name)
        before = load_measures(lib, photo_id)
        problem = photo_file_problem(lib, photo.file_name, photo.sha256)
        status = photo.status
        yield photo, before, (MeasureChange(photo_id, status, status, before, before, problem)
                              if problem else None)


def measure_photo_in_library(lib: Library, photo_id: int) -> None:
    """Run the detector on a library photo and store its result (manual landmarks kept).

    A detector that crashes on one photo marks that photo failed and lets the batch go on.
    """
    from footlog.measure_pool import measure_here

    measure_here(lib, photo_id)


def import_runs(
    lib: Library, person: Person, paths: Iterable[Path]
) -> tuple[SaveSummary, list[str]]:
    """Read run logs of any known format and store their runs; returns (summary, errors).

    `errors` holds the problems of reading the files, then one line per run that was read
    but rejected when saved (a date, distance or duration outside `run_limits`).
    """
    # The format libraries (FIT, GPX…) load only when a run log is read.
    from footlog.importers.registry import read_run_files

    imported = read_run_files(list(paths))
    summary = save_runs(lib, person, imported.runs)
    return summary, [*imported.errors, *summary.rejected]


def preview_photo(path: Path) -> dict[str, str]:
    """What footlog would record for a photo before importing it (header read only).

    Returns `taken_at` (ISO wall-clock), `taken_at_source`, `foot`, `view`, and `error`
    (empty when the header looks fine; the full check happens on import).
    """
    from footlog.domain.naming import guess_foot, view_from_name
    from footlog.imaging.capture_date import capture_time
    from footlog.imaging.photo_io import PhotoError, probe

    hint = f"{path.parent.name}/{path.stem}"
    facts = {"foot": str(guess_foot(hint)), "view": str(view_from_name(hint)), "error": ""}
    try:
        info = probe(path, verify=False)
    except PhotoError as exc:
        info = None
        facts["error"] = exc.reason
    try:
        when = capture_time(path, info)
        facts["taken_at"] = when.taken_at.isoformat(timespec="seconds")
        facts["taken_at_source"] = when.source
    except OSError as exc:
        facts.update(taken_at="", taken_at_source="", error=facts["error"] or str(exc))
    return facts


def preview_picture(path: Path, side: int) -> tuple[np.ndarray | None, str]:
    """A photo's thumbnail (RGB, `side` px on its longer side) and the view measuring would
    take it for when none is given ("" when the guess is too unsure to measure by, or the
    photo cannot be read): one reduced decode, the size measuring decodes at, so that both
    see the same picture."""
    import cv2
    import numpy as np

    from footlog.analysis.view_guess import NOT_MEASURABLE, guess_view
    from footlog.imaging.photo_io import PhotoError, read_reduced
    from footlog.measuring import ANALYSIS_MAX_SIDE

    try:
        reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    except (OSError, PhotoError):
        return None, ""
    pixels = reduced.pixels
    h, w = pixels.shape[:2]
    k = side / max(h, w)
    thumb = cv2.resize(pixels, (max(1, round(w * k)), max(1, round(h * k))),
                       interpolation=cv2.INTER_AREA)
    view, confidence = guess_view(pixels)
    return np.ascontiguousarray(thumb), str(view) if confidence >= NOT_MEASURABLE else ""
