"""The window's long jobs (run by `footlog.gui.background.Worker`): photo and run-log
imports, measuring again. Each opens its own connection with `Library.open_for_thread`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from footlog.app import import_photos
from footlog.storage.library import Library, Person


def photo_import_job(
    root: Path,
    person_name: str,
    paths: list[Path],
    overrides: dict[Path, dict[str, Any]] | None = None,
) -> Callable[[Callable, Callable], Any]:
    """A job importing and measuring photos; `overrides` holds per-file foot, view, date."""
    overrides = overrides or {}

    def job(progress: Callable, cancelled: Callable) -> Any:
        with Library.open_for_thread(root) as lib:
            return import_photos(
                lib,
                paths,
                lib.person(person_name),
                progress=progress,
                cancelled=cancelled,
                overrides=overrides,
            )

    return job


def measure_again_job(root: Path, photo_ids: list[int]) -> Callable[[Callable, Callable], Any]:
    """A job running the detector again on library photos (manual landmarks kept)."""

    def job(progress: Callable, cancelled: Callable) -> Any:
        from footlog.app import measure_again

        with Library.open_for_thread(root) as lib:
            return measure_again(lib, photo_ids, progress=progress, cancelled=cancelled)

    return job


def run_import_job(root: Path, person: Person, paths: list[Path]
                   ) -> Callable[[Callable, Callable], Any]:
    """A job reading run files and saving their runs: (SaveSummary, problems)."""

    def job(_progress: Callable, _cancelled: Callable) -> Any:
        from footlog.app import import_runs

        with Library.open_for_thread(root) as lib:
            return import_runs(lib, person, paths)

    return job
