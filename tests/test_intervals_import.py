"""intervals.icu's activities CSV: recognised by its layout, distances in metres, times in
seconds, start as wall-clock time in the chosen zone, Strava ids shared with the Strava
importer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from footlog.importers import ImportOptions, importer_for, read_run_files
from footlog.importers.intervals_csv import IntervalsCsvImporter

# The documented columns, in their order, then a few computed ones.
HEADER = ("id,start_date_local,name,type,moving_time,distance,elapsed_time,"
          "total_elevation_gain,max_speed,average_speed,has_heartrate,icu_training_load")
ROWS = [
    "3541792843,2020-06-01T07:05:12,Morning Run,Run,1800,5012.4,1830,20,4.1,2.8,true,45",
    "i88712,2021-03-14T18:30:00,Barefoot strides,Run,600,1500,660,0,4.5,2.5,false,12",
    "i88713,2021-03-15T09:00:00,Commute,Ride,2400,12000.0,2500,50,9.1,5,false,30",
]


def _file(tmp_path: Path, rows: list[str] = ROWS) -> Path:
    path = tmp_path / "i12345_activities.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_recognised_before_the_plain_csv_reader(tmp_path: Path) -> None:
    path = _file(tmp_path)
    assert isinstance(importer_for(path), IntervalsCsvImporter)


def test_metres_seconds_and_wall_clock_time(tmp_path: Path) -> None:
    zone = timezone(timedelta(hours=2))
    result = read_run_files([_file(tmp_path)], ImportOptions(local_tz=zone))
    assert not result.errors
    runs = {r.name: r for r in result.runs}
    first = runs["Morning Run"]
    assert first.distance_m == 5012.4 and first.duration_s == 1830
    assert first.start == datetime(2020, 6, 1, 7, 5, 12, tzinfo=zone)
    assert first.activity_type == "run"
    assert runs["Commute"].activity_type == "ride"
    assert runs["Barefoot strides"].distance_m == 1500


def test_ids_are_shared_with_the_strava_importer(tmp_path: Path) -> None:
    result = read_run_files([_file(tmp_path)])
    ids = {r.name: r.external_id for r in result.runs}
    assert ids["Morning Run"] == "strava:3541792843"
    assert ids["Barefoot strides"] == "intervals-icu:i88712"


def test_bad_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    rows = [ROWS[0], "i1,yesterday,Odd,Run,60,100,60,0,1,1,false,1",
            "i2,2021-01-01T08:00:00,Odd distance,Run,60,far,60,0,1,1,false,1", ROWS[1]]
    result = read_run_files([_file(tmp_path, rows)])
    assert len(result.runs) == 2
    assert len(result.errors) == 2
    assert "line 3" in result.errors[0] and "start_date_local" in result.errors[0]
    assert "line 4" in result.errors[1] and "distance" in result.errors[1]
