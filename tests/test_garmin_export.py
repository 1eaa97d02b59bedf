"""Garmin's full-account export, generated in its shape: the activity summaries (centimetres,
milliseconds) are read, and the FIT files uploaded with them (in a zip inside the zip) are
not counted a second time."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from test_run_importers import make_fit

from footlog.importers import ImportOptions, importer_for, read_run_files
from footlog.importers.garmin_export import GarminExportImporter

FITNESS = "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json"
UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
STARTS = [datetime(2022, 5, 1, 6, 30, tzinfo=UTC), datetime(2022, 5, 3, 17, 0, tzinfo=UTC),
          datetime(2022, 5, 4, 7, 15, tzinfo=UTC)]


def _summary(i: int, start: datetime, kind: str, km: float, minutes: float) -> dict:
    ms = int(start.timestamp() * 1000)
    return {"activityId": 9_000_000_000 + i, "name": f"Activity {i}", "activityType": kind,
            "startTimeGmt": ms, "startTimeLocal": ms + 2 * 3600 * 1000,
            "distance": km * 100_000, "duration": minutes * 60_000 - 5000,
            "elapsedDuration": minutes * 60_000, "sportType": kind.upper()}


def _export(tmp_path: Path, with_summaries: bool = True) -> Path:
    activities = [_summary(1, STARTS[0], "running", 10.0, 55),
                  _summary(2, STARTS[1], "trail_running", 8.5, 61),
                  _summary(3, STARTS[2], "walking", 3.2, 40)]
    uploads = io.BytesIO()
    with zipfile.ZipFile(uploads, "w") as z:
        for i, start in enumerate(STARTS[:2], start=1):
            km = (10.0, 8.5)[i - 1]
            z.writestr(f"runner@example.com_{9_000_000_000 + i}.fit",
                       make_fit.activity_fit(start, km * 1000, 3300, 3290, serial=100 + i))
    path = tmp_path / "garmin_export.zip"
    with zipfile.ZipFile(path, "w") as z:
        if with_summaries:
            z.writestr(FITNESS, json.dumps([{"summarizedActivitiesExport": activities}]))
        z.writestr(UPLOADS, uploads.getvalue())
        z.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", "{}")
    return path


def test_summaries_are_read_in_metres_and_seconds(tmp_path: Path) -> None:
    result = read_run_files([_export(tmp_path)], ImportOptions(local_tz=UTC))
    assert not result.errors, result.errors
    runs = sorted(result.runs, key=lambda r: r.start)
    assert [r.start for r in runs] == STARTS
    assert [r.distance_m for r in runs] == [10_000.0, 8_500.0, 3_200.0]
    assert [r.duration_s for r in runs] == [3300.0, 3660.0, 2400.0]
    assert [r.activity_type for r in runs] == ["run", "run", "walk"]
    assert runs[0].external_id == "garmin:9000000001"
    # The two uploaded FIT files are the same activities: skipped, and said so.
    assert any("summarizedActivities.json" in note for note in result.notes)


def test_without_summaries_the_uploaded_files_are_read(tmp_path: Path) -> None:
    result = read_run_files([_export(tmp_path, with_summaries=False)])
    assert sorted(r.start for r in result.runs) == STARTS[:2]


def test_recognised_by_name_and_content(tmp_path: Path) -> None:
    path = tmp_path / "x_summarizedActivities.json"
    path.write_text("[]")
    assert isinstance(importer_for(path), GarminExportImporter)
    bad = read_run_files([path])
    assert bad.errors and "summarizedActivitiesExport" in bad.errors[0]


def test_a_bad_activity_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "me_0_summarizedActivities.json"
    good = _summary(1, STARTS[0], "running", 5.0, 30)
    path.write_text(json.dumps([{"summarizedActivitiesExport": [
        good, {"activityId": 7, "distance": -3}, {"activityId": 8, "distance": 100}]}]))
    result = read_run_files([path])
    assert len(result.runs) == 1 and len(result.errors) == 2
    assert "activity 2" in result.errors[0] and "activity 3" in result.errors[1]
    assert result.runs[0].start - STARTS[0] == timedelta(0)
