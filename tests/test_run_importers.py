"""Run-log importers: every format, units, dates and zones, and odd input that must give
clear errors instead of a crash. Samples live in tests/data/runs/ (see tests/make_fit.py)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.util
import io
import math
import sys
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from footlog.domain.runs import Footwear, FootwearSource, Run, classify_footwear
from footlog.importers import (
    ImportedRuns,
    ImportOptions,
    importer_for,
    read_run_files,
)
from footlog.importers.cells import parse_duration, parse_number
from footlog.importers.dates import AmbiguousDateError, parse_datetime, slash_order_of
from footlog.importers.fit import FitImporter
from footlog.importers.garmin_csv import GarminCsvImporter
from footlog.importers.gpx import GpxImporter
from footlog.importers.plain_csv import PlainCsvImporter
from footlog.importers.strava_csv import StravaCsvImporter
from footlog.importers.tcx import TcxImporter

RUNS = Path(__file__).parent / "data" / "runs"
IN_UTC = ImportOptions(local_tz=UTC)
CEST = timezone(timedelta(hours=2))


def load_make_fit():
    """tests/make_fit.py, loaded by path (tests/ is not a package)."""
    name = "footlog_tests_make_fit"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("make_fit.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


make_fit = load_make_fit()


def by_id(result: ImportedRuns) -> dict[str, Run]:
    return {run.external_id or "": run for run in result.runs}


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- which importer reads what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "importer"),
    [
        ("strava_export/activities.csv", StravaCsvImporter),
        ("strava_old/activities.csv", StravaCsvImporter),
        ("strava_de/activities.csv", StravaCsvImporter),
        ("garmin/Activities.csv", GarminCsvImporter),
        ("plain_log.csv", PlainCsvImporter),
        ("track.gpx", GpxImporter),
        ("activity.tcx", TcxImporter),
        ("run.fit", FitImporter),
    ],
)
def test_each_sample_finds_its_importer(relative: str, importer: type) -> None:
    assert type(importer_for(RUNS / relative)) is importer


def test_a_file_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    fit = write(tmp_path, "download", (RUNS / "run.fit").read_bytes())
    gpx = write(tmp_path, "export.xml", (RUNS / "track.gpx").read_bytes())
    gz = write(tmp_path, "123.fit.gz", gzip.compress((RUNS / "run.fit").read_bytes()))
    assert type(importer_for(fit)) is FitImporter
    assert type(importer_for(gpx)) is GpxImporter
    assert type(importer_for(gz)) is FitImporter
    assert importer_for(write(tmp_path, "notes.txt", "just some words\n")) is None


# --- Strava activities.csv -----------------------------------------------------------------------


def test_strava_export_folder_new_layout() -> None:
    result = read_run_files([RUNS / "strava_export"])
    assert result.errors == []
    runs = by_id(result)
    assert sorted(runs) == [f"strava:{n}" for n in range(4001, 4008)]
    first = runs["strava:4001"]
    # The later, metres "Distance" column, not the km one (8.02 km), is used.
    assert first.distance_m == pytest.approx(8021.5)
    assert first.duration_s == 2712  # the first "Elapsed Time"
    assert first.start == at(2020, 10, 7, 14, 43, 11)  # "Oct 7, 2020, 2:43:11 PM", UTC
    assert first.name == "Barefoot Tuesday"
    assert first.description == "Grass loop in the park, easy"
    assert first.activity_type == "run"
    assert first.source_file.endswith("activities.csv")
    assert runs["strava:4002"].gear == "Vivobarefoot Primus Lite"
    assert runs["strava:4003"].activity_type == "ride"
    assert runs["strava:4005"].activity_type == "run"  # "Trail Run"
    assert runs["strava:4006"].distance_m == pytest.approx(1500.0)  # a swim, in metres
    assert runs["strava:4007"].activity_type == "hike"
    # The private note is added to the description: it says what was on the feet.
    assert "Luna sandals" in runs["strava:4007"].description


def test_strava_folder_does_not_read_covered_activity_files_again() -> None:
    result = read_run_files([RUNS / "strava_export"])
    assert len(result.runs) == 7
    assert not any(run.external_id.startswith("gpx:") for run in result.runs)
    assert any("4001.gpx" in note and "already read" in note for note in result.notes)
    # profile.csv is not a run log: skipped with a reason, not an error.
    assert any("profile.csv" in note and "not a run log" in note for note in result.notes)
    assert result.skipped == 2


def test_strava_footwear_from_the_sample() -> None:
    runs = by_id(read_run_files([RUNS / "strava_export"]))
    gear = {"Vivobarefoot Primus Lite": Footwear.MINIMAL, "altra lone peak 5": Footwear.SHOD}
    assert classify_footwear(runs["strava:4001"], gear) == (
        Footwear.BAREFOOT,
        FootwearSource.KEYWORD,
    )
    assert classify_footwear(runs["strava:4002"], gear) == (Footwear.MINIMAL, FootwearSource.GEAR)
    assert classify_footwear(runs["strava:4004"], gear)[0] is Footwear.BAREFOOT  # "descalza"
    # "BFF" is not "BF"; the gear decides.
    assert classify_footwear(runs["strava:4005"], gear) == (Footwear.SHOD, FootwearSource.GEAR)


def test_strava_old_layout_has_one_distance_column_in_km() -> None:
    result = read_run_files([RUNS / "strava_old" / "activities.csv"])
    assert result.errors == []
    runs = by_id(result)
    assert runs["strava:1601"].distance_m == pytest.approx(5010.0)
    assert runs["strava:1601"].start == at(2018, 6, 2, 6, 12)
    assert runs["strava:1602"].start == at(2018, 6, 3, 19, 30, 5)
    # Swims are shown in metres, with a thousands separator.
    assert runs["strava:1603"].distance_m == pytest.approx(1200.0)
    assert runs["strava:1604"].activity_type == "ride"


def test_strava_german_export() -> None:
    result = read_run_files([RUNS / "strava_de" / "activities.csv"])
    assert result.errors == []
    runs = by_id(result)
    assert runs["strava:7001"].start == at(2020, 10, 7, 14, 43, 11)  # 07.10.2020: day first
    assert runs["strava:7001"].distance_m == pytest.approx(8021.5)
    assert runs["strava:7001"].activity_type == "run"  # "Lauf"
    assert classify_footwear(runs["strava:7001"], {})[0] is Footwear.BAREFOOT  # Barfußlauf
    # No metres value: the display column, "5,25" with a decimal comma.
    assert runs["strava:7002"].distance_m == pytest.approx(5250.0)
    assert runs["strava:7002"].gear == "Xero Shoes HFS"
    assert runs["strava:7003"].activity_type == "ride"  # "Radfahrt"
    # A swim of "1.500" metres: the dot groups thousands.
    assert runs["strava:7004"].distance_m == pytest.approx(1500.0)
    assert runs["strava:7004"].activity_type == "swim"


STRAVA_HEAD = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Activity Gear,Filename,Elapsed Time,Moving Time,Distance\n"
)


def test_strava_duplicated_columns_are_read_by_position(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "activities.csv",
        STRAVA_HEAD
        + '1,"Jan 2, 2021, 12:05:00 AM",A,Run,,3000,10.00,,,3000.4,2990,9994.2\n'
        + '2,"Jan 3, 2021, 12:00:00 PM",B,Run,,,"10,50",,,1800.5,,\n',
    )
    runs = by_id(read_run_files([path]))
    assert runs["strava:1"].distance_m == pytest.approx(9994.2)
    assert runs["strava:1"].duration_s == 3000
    assert runs["strava:1"].start == at(2021, 1, 2, 0, 5)  # 12:05 AM
    # Metres cell empty: kilometres from the first column, decimal comma; the second elapsed.
    assert runs["strava:2"].distance_m == pytest.approx(10500.0)
    assert runs["strava:2"].duration_s == pytest.approx(1800.5)
    assert runs["strava:2"].start == at(2021, 1, 3, 12, 0)  # 12:00 PM


def test_strava_display_unit_can_be_miles(tmp_path: Path) -> None:
    head = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
    path = write(tmp_path, "activities.csv", head + '9,"Mar 1, 2019, 6:00:00 AM",A,Run,3000,5.00\n')
    run = read_run_files([path], ImportOptions(distance_unit="mi")).runs[0]
    assert run.distance_m == pytest.approx(5 * 1609.344)


def test_strava_single_distance_column_in_metres_is_detected(tmp_path: Path) -> None:
    head = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
    rows = (
        '1,"Mar 1, 2019, 6:00:00 AM",A,Run,3000,10020.5\n'
        '2,"Mar 2, 2019, 6:00:00 AM",B,Run,1500,5001\n'
    )
    runs = read_run_files([write(tmp_path, "activities.csv", head + rows)]).runs
    assert [r.distance_m for r in runs] == [pytest.approx(10020.5), pytest.approx(5001.0)]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (  # German, with the names some exports use
            "Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,Verstrichene Zeit,"
            "Distanz,Ausrüstung für Aktivität\n",
            '11,"07.10.2020, 14:43:11",Barfuß,Lauf,2712,"8,02",Merrell\n',
        ),
        (  # French
            "ID de l'activité,Date de l'activité,Nom de l'activité,Type d'activité,"
            "Temps écoulé,Distance,Équipement de l'activité\n",
            '11,"7 oct. 2020, 14:43:11",Pieds nus,Course à pied,2712,"8,02",Merrell\n',
        ),
        (  # Spanish
            "ID de la actividad,Fecha de la actividad,Nombre de la actividad,Tipo de actividad,"
            "Tiempo transcurrido,Distancia,Equipo de la actividad\n",
            '11,"7 oct. 2020, 2:43:11 p. m.",Descalzo,Carrera,2712,"8,02",Merrell\n',
        ),
    ],
)
def test_strava_headers_in_other_languages(tmp_path: Path, header: str, row: str) -> None:
    result = read_run_files([write(tmp_path, "activities.csv", header + row)])
    assert result.errors == []
    (run,) = result.runs
    assert run.external_id == "strava:11"
    assert run.start == at(2020, 10, 7, 14, 43, 11)
    assert run.distance_m == pytest.approx(8020.0)
    assert run.activity_type == "run"
    assert run.gear == "Merrell"
    assert classify_footwear(run, {})[0] is Footwear.BAREFOOT


def test_strava_bad_rows_are_reported_with_their_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "activities.csv",
        STRAVA_HEAD
        + '1,"Jan 2, 2021, 8:00:00 AM",ok,Run,,3000,10.00,,,,,10000\n'
        + '2,"yesterday",bad date,Run,,3000,10.00,,,,,10000\n'
        + '3,"Jan 4, 2021, 8:00:00 AM",bad distance,Run,,3000,ten,,,,,lots\n'
        + ',"Jan 5, 2021, 8:00:00 AM",no id,Run,,3000,10.00,,,,,10000\n'
        + '5,"Jan 6, 2021, 8:00:00 AM",bad time,Run,,an hour,10.00,,,,,10000\n'
        + '6,"Jan 7, 2021, 8:00:00 AM",short row,Run\n',
    )
    result = read_run_files([path])
    assert sorted(by_id(result)) == ["strava:1", "strava:6"]
    assert by_id(result)["strava:6"].distance_m is None
    assert len(result.errors) == 4
    assert any("line 3" in e and "yesterday" in e for e in result.errors)
    assert any("line 4" in e and "distance" in e for e in result.errors)
    assert any("line 5" in e and "no activity id" in e for e in result.errors)
    assert any("line 6" in e and "elapsed time" in e for e in result.errors)
    assert all(e.startswith(str(path)) for e in result.errors)


def test_strava_csv_missing_a_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "activities.csv", "Activity ID,Activity Date,Activity Name\n1,x,y\n")
    result = read_run_files([path])
    assert result.runs == []
    assert len(result.errors) == 1
    assert "without the column(s) type, distance" in result.errors[0]


def test_strava_export_zip() -> None:
    result = read_run_files([RUNS / "strava_export.zip"])
    assert result.errors == []
    runs = by_id(result)
    assert sorted(runs) == ["strava:5001", "strava:5002", "strava:5003"]
    assert runs["strava:5002"].gear == "Xero Prio"
    assert runs["strava:5002"].source_file.endswith("strava_export.zip/activities.csv")
    # The GPX and the .fit.gz are covered by their rows; the photo is left unread.
    notes = "\n".join(result.notes)
    assert "5001.gpx" in notes and "5002.fit.gz" in notes and "photo.jpg" in notes
    assert result.skipped == 4  # gpx, fit.gz, profile.csv, photo


def test_covered_activity_files_given_by_name_are_not_read_again() -> None:
    export = RUNS / "strava_export"
    result = read_run_files([export / "activities" / "4001.gpx", export / "activities.csv"])
    assert result.errors == []
    assert len(result.runs) == 7 and result.skipped == 1


def test_activity_file_stands_in_for_a_csv_row_that_cannot_be_read(tmp_path: Path) -> None:
    with zipfile.ZipFile(RUNS / "strava_export.zip") as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members["activities.csv"] = members["activities.csv"].replace(
        b'"Jun 3, 2022, 6:01:02 AM"', b'"not a date"'
    )
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    result = read_run_files([archive])
    assert len(result.errors) == 1 and "not a date" in result.errors[0]
    types = sorted(run.external_id.split(":")[0] for run in result.runs)
    assert types == ["gpx", "strava", "strava"]  # 5001 comes from its GPX instead


def test_activity_files_no_row_names_are_read_on_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write(folder, "activities.csv", STRAVA_HEAD + '1,"Jan 2, 2021, 8:00:00 AM",A,Ride,,60,1.00\n')
    write(folder, "activities/extra.gpx", (RUNS / "track.gpx").read_bytes())
    write(folder, "activities/extra2.fit.gz", gzip.compress((RUNS / "run.fit").read_bytes()))
    result = read_run_files([folder])
    assert result.errors == []
    assert sorted(run.activity_type for run in result.runs) == ["ride", "run", "run"]


def test_the_same_activities_given_twice_are_kept_once() -> None:
    result = read_run_files([RUNS / "strava_export", RUNS / "strava_export"])
    assert len(result.runs) == 7
    assert sum("same activity" in note for note in result.notes) == 7


# --- Garmin Connect CSV --------------------------------------------------------------------------


def test_garmin_csv_sample() -> None:
    result = read_run_files([RUNS / "garmin" / "Activities.csv"], IN_UTC)
    assert result.errors == []
    runs = result.runs
    assert [r.activity_type for r in runs] == [
        "run", "run", "walk", "ride", "swim", "other", "hike",
    ]  # fmt: skip
    first = runs[0]
    assert first.start == at(2023, 5, 1, 7, 12, 33)
    assert first.distance_m == pytest.approx(10020.0)
    assert first.duration_s == 52 * 60 + 40  # "Elapsed Time", not "Time" or "Moving Time"
    assert first.name == "Berlin Running"
    assert runs[1].duration_s == pytest.approx(27 * 60 + 30.5)  # "00:27:30.5"
    assert runs[4].distance_m == pytest.approx(1500.0)  # pool swim "1,500" is metres
    assert runs[5].distance_m is None  # "--"
    assert all(r.external_id.startswith("garmin-csv:") for r in runs)
    assert len({r.external_id for r in runs}) == len(runs)


def test_garmin_dates_are_wall_clock_in_the_chosen_zone() -> None:
    run = read_run_files([RUNS / "garmin" / "Activities.csv"], ImportOptions(local_tz=CEST)).runs[0]
    assert run.start == datetime(2023, 5, 1, 7, 12, 33, tzinfo=CEST)
    assert run.start.astimezone(UTC) == at(2023, 5, 1, 5, 12, 33)


def test_garmin_dates_default_to_this_computers_zone() -> None:
    run = read_run_files([RUNS / "garmin" / "Activities.csv"]).runs[0]
    assert run.start.tzinfo is not None
    assert run.start.replace(tzinfo=None) == datetime(2023, 5, 1, 7, 12, 33)


def test_garmin_ids_do_not_depend_on_the_zone() -> None:
    a = read_run_files([RUNS / "garmin" / "Activities.csv"], IN_UTC).runs
    b = read_run_files([RUNS / "garmin" / "Activities.csv"], ImportOptions(local_tz=CEST)).runs
    assert [r.external_id for r in a] == [r.external_id for r in b]


def test_garmin_distance_in_miles(tmp_path: Path) -> None:
    sample = RUNS / "garmin" / "Activities.csv"
    run = read_run_files([sample], ImportOptions(distance_unit="mi", local_tz=UTC)).runs[0]
    assert run.distance_m == pytest.approx(10.02 * 1609.344)
    header_says = write(
        tmp_path,
        "g.csv",
        "Activity Type,Date,Favorite,Title,Distance (mi),Time\n"
        'Running,2023-05-01 07:12:33,false,Run,"6.21",00:50:00\n',
    )
    assert read_run_files([header_says], IN_UTC).runs[0].distance_m == pytest.approx(
        6.21 * 1609.344
    )


def test_garmin_us_dates_thousands_and_german_decimals(tmp_path: Path) -> None:
    us = write(
        tmp_path,
        "us.csv",
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time\n"
        'Cycling,7/4/2020 15:36,FALSE,Ride,"1,034.5",520,0:49:12\n'
        "Running,7/5/2020 6:00,FALSE,Run,5.00,300,25:00\n",
    )
    runs = read_run_files([us], IN_UTC).runs
    assert runs[0].start == at(2020, 7, 4, 15, 36)  # English export: month first
    assert runs[0].distance_m == pytest.approx(1034500.0)
    assert runs[0].duration_s == 49 * 60 + 12
    assert runs[1].duration_s == 25 * 60  # "25:00" is minutes:seconds
    german = write(
        tmp_path,
        "de.csv",
        "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit\n"
        'Laufen,2026-04-18 10:03:35,false,"Lauf","7,00","315","00:40:55"\n',
    )
    (run,) = read_run_files([german], IN_UTC).runs
    assert run.distance_m == pytest.approx(7000.0)
    assert run.activity_type == "run"


def test_garmin_bad_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.csv",
        "Activity Type,Date,Favorite,Title,Distance,Time\n"
        "Running,2023-05-01 07:12:33,false,ok,5.0,00:25:00\n"
        "Running,someday,false,bad date,5.0,00:25:00\n"
        "Running,2023-05-03 07:12:33,false,bad distance,five,00:25:00\n"
        "Running,2023-05-04 07:12:33,false,bad time,5.0,00:99:00\n",
    )
    result = read_run_files([path], IN_UTC)
    assert [r.name for r in result.runs] == ["ok"]
    assert [e.split(": ")[1] for e in result.errors] == ["line 3", "line 4", "line 5"]


# --- GPX -----------------------------------------------------------------------------------------


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance with gpxpy's Earth radius (6378.137 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6378137.0 * math.asin(math.sqrt(h))


def test_gpx_sample() -> None:
    result = read_run_files([RUNS / "track.gpx"])
    assert result.errors == []
    (run,) = result.runs
    # 21 points due north, 0.0009 degrees apart.
    assert run.distance_m == pytest.approx(20 * haversine_m(52.52, 13.405, 52.5209, 13.405))
    assert run.distance_m == pytest.approx(2003.75, abs=0.1)
    assert run.start == at(2021, 5, 2, 6, 15)
    assert run.duration_s == 600
    assert run.activity_type == "run"
    assert run.name == "Morning Run"
    digest = hashlib.sha256((RUNS / "track.gpx").read_bytes()).hexdigest()[:32]
    assert run.external_id == f"gpx:{digest}"


def test_gpx_id_is_the_same_wherever_the_file_lies(tmp_path: Path) -> None:
    copy = write(tmp_path, "renamed.gpx", (RUNS / "track.gpx").read_bytes())
    assert (
        read_run_files([copy]).runs[0].external_id
        == read_run_files([RUNS / "track.gpx"]).runs[0].external_id
    )


GPX_TRACK = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
{tracks}
</gpx>
"""


def gpx_track(name: str, kind: str | None, times: list[str | None], lat: float = 10.0) -> str:
    points = "".join(
        f'<trkpt lat="{lat + 0.001 * i}" lon="20.0">'
        + (f"<time>{t}</time>" if t else "")
        + "</trkpt>"
        for i, t in enumerate(times)
    )
    kind_tag = f"<type>{kind}</type>" if kind else ""
    return f"<trk><name>{name}</name>{kind_tag}<trkseg>{points}</trkseg></trk>"


def test_gpx_types_tracks_and_naive_times(tmp_path: Path) -> None:
    tracks = gpx_track("Ride", "1", ["2020-01-01T10:00:00Z", "2020-01-01T10:10:00Z"]) + gpx_track(
        "Walk", "walking", ["2020-01-02T10:00:00", "2020-01-02T10:30:00"]
    )
    result = read_run_files([write(tmp_path, "two.gpx", GPX_TRACK.format(tracks=tracks))])
    assert result.errors == []
    ride, walk = result.runs
    assert ride.activity_type == "ride"  # Strava's type number 1
    assert walk.activity_type == "walk"
    assert walk.start == at(2020, 1, 2, 10, 0)  # no zone written: UTC by the standard
    assert ride.external_id != walk.external_id


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GPX_TRACK.format(tracks=gpx_track("x", None, [None, None])), "has no times"),
        (
            GPX_TRACK.format(
                tracks='<rte><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>'
            ),
            "planned route",
        ),
        (GPX_TRACK.format(tracks='<wpt lat="1" lon="2"/>'), "waypoints only"),
        ("<gpx><trk><trkseg><trkpt lat=", "not a valid GPX"),
        ("", "empty"),
    ],
)
def test_gpx_problems(tmp_path: Path, content: str, message: str) -> None:
    result = read_run_files([write(tmp_path, "bad.gpx", content)])
    assert result.runs == []
    assert len(result.errors) == 1 and message in result.errors[0]


# --- TCX -----------------------------------------------------------------------------------------


def test_tcx_sample_with_leading_spaces_like_stravas() -> None:
    assert (RUNS / "activity.tcx").read_bytes().startswith(b"   <?xml")
    result = read_run_files([RUNS / "activity.tcx"])
    assert result.errors == []
    (run,) = result.runs
    assert run.start == at(2021, 7, 10, 5, 45)
    assert run.distance_m == pytest.approx(4000.0 + 1520.3)  # laps summed
    assert run.duration_s == pytest.approx(1500.0 + 620.5)
    assert run.activity_type == "run"
    assert run.external_id == "tcx:2021-07-10T05:45:00+00:00"
    assert classify_footwear(run, {})[0] is Footwear.BAREFOOT  # Notes: "Pieds nus..."


def test_tcx_without_namespace_and_lap_distance(tmp_path: Path) -> None:
    content = (
        "<TrainingCenterDatabase><Activities><Activity Sport='Biking'>"
        "<Id>2021-07-11T06:00:00.000Z</Id><Lap StartTime='2021-07-11T06:00:00Z'>"
        "<TotalTimeSeconds>3600</TotalTimeSeconds><Track>"
        "<Trackpoint><DistanceMeters>10.0</DistanceMeters></Trackpoint>"
        "<Trackpoint><DistanceMeters>25000.5</DistanceMeters></Trackpoint>"
        "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    (run,) = read_run_files([write(tmp_path, "ride.tcx", content)]).runs
    assert run.activity_type == "ride"
    assert run.distance_m == pytest.approx(25000.5)
    assert run.duration_s == 3600


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "<TrainingCenterDatabase><Courses><Course><Name>x</Name></Course></Courses>"
            "</TrainingCenterDatabase>",
            "course, not an activity",
        ),
        ("<TrainingCenterDatabase><Activities>", "not valid XML"),
        ("<html><body>hello</body></html>", "not a TCX file"),
        (
            "<TrainingCenterDatabase><Activities><Activity Sport='Running'><Id>soon</Id>"
            "</Activity></Activities></TrainingCenterDatabase>",
            "start time",
        ),
    ],
)
def test_tcx_problems(tmp_path: Path, content: str, message: str) -> None:
    result = read_run_files([write(tmp_path, "bad.tcx", content)])
    assert result.runs == []
    assert len(result.errors) == 1 and message in result.errors[0]


# --- FIT -----------------------------------------------------------------------------------------


def test_fit_sample() -> None:
    result = read_run_files([RUNS / "run.fit"])
    assert result.errors == []
    (run,) = result.runs
    assert run.start == at(2021, 3, 14, 7, 30)
    assert run.distance_m == pytest.approx(5012.34)
    assert run.duration_s == pytest.approx(1830.5)  # total_elapsed_time, not the timer's 1790
    assert run.activity_type == "run"
    assert run.name == "Barefoot"  # the watch's sport profile name
    assert run.external_id == f"fit:3912345678:{int(at(2021, 3, 14, 7, 30).timestamp())}"


def test_fit_sample_is_what_make_fit_writes() -> None:
    samples = make_fit.samples()
    assert samples["run.fit"] == (RUNS / "run.fit").read_bytes()
    # Compare the zip by content: compressed bytes may differ between zlib builds.
    with (
        zipfile.ZipFile(io.BytesIO(samples["strava_export.zip"])) as fresh,
        zipfile.ZipFile(RUNS / "strava_export.zip") as committed,
    ):
        assert fresh.namelist() == committed.namelist()
        for name in fresh.namelist():
            a, b = fresh.read(name), committed.read(name)
            if name.endswith(".gz"):
                a, b = gzip.decompress(a), gzip.decompress(b)
            assert a == b, name


def test_fit_encoder_crc_matches_the_sdk_check_value() -> None:
    # A file's CRC taken over the file including its CRC is zero.
    data = (RUNS / "run.fit").read_bytes()
    assert make_fit.fit_crc(data) == 0


@pytest.mark.parametrize(
    ("sport", "expected"),
    [("walking", "walk"), ("cycling", "ride"), ("hiking", "hike"), ("swimming", "swim")],
)
def test_fit_sports(tmp_path: Path, sport: str, expected: str) -> None:
    data = make_fit.activity_fit(at(2022, 1, 1, 9), 1000.0, 600.0, 590.0, sport=sport)
    (run,) = read_run_files([write(tmp_path, "a.fit", data)]).runs
    assert run.activity_type == expected


def test_fit_without_session_uses_its_records(tmp_path: Path) -> None:
    data = make_fit.activity_fit(at(2022, 1, 1, 9), 2500.0, 900.0, 900.0, with_session=False)
    result = read_run_files([write(tmp_path, "cut.fit", data)])
    assert result.errors == []
    (run,) = result.runs
    assert run.start == at(2022, 1, 1, 9)
    assert run.duration_s == pytest.approx(900.0)
    assert run.distance_m == pytest.approx(2500.0)


def test_fit_with_a_bad_crc_is_read_and_reported(tmp_path: Path) -> None:
    writer_data = make_fit.activity_fit(at(2022, 1, 1, 9), 2500.0, 900.0, 900.0)
    damaged = writer_data[:-2] + bytes([writer_data[-2] ^ 0xFF, writer_data[-1]])
    result = read_run_files([write(tmp_path, "bad.fit", damaged)])
    assert len(result.runs) == 1
    assert len(result.errors) == 1 and "damaged FIT file" in result.errors[0]


def test_fit_truncated_in_the_middle(tmp_path: Path) -> None:
    data = (RUNS / "run.fit").read_bytes()
    result = read_run_files([write(tmp_path, "half.fit", data[: len(data) // 2])])
    assert len(result.errors) == 1 and "damaged FIT file" in result.errors[0]
    # The records before the cut still give a run.
    assert len(result.runs) == 1 and result.runs[0].start == at(2021, 3, 14, 7, 30)


def test_fit_gz_and_junk_named_fit(tmp_path: Path) -> None:
    gz = write(tmp_path, "123.fit.gz", gzip.compress((RUNS / "run.fit").read_bytes()))
    assert read_run_files([gz]).runs[0].distance_m == pytest.approx(5012.34)
    junk = read_run_files([write(tmp_path, "junk.fit", b"\x00\x01 definitely not FIT")])
    assert junk.runs == [] and "not a FIT file" in junk.errors[0]
    bad_gz = read_run_files([write(tmp_path, "bad.fit.gz", b"not gzip at all")])
    assert bad_gz.runs == [] and "gzip" in bad_gz.errors[0]
    packed = gzip.compress((RUNS / "run.fit").read_bytes())
    scrambled = packed[:12] + bytes(b ^ 0x55 for b in packed[12:40]) + packed[40:]
    corrupt = read_run_files([write(tmp_path, "corrupt.fit.gz", scrambled)])
    assert corrupt.runs == [] and "gzip" in corrupt.errors[0]
    assert importer_for(tmp_path / "corrupt.fit.gz") is None


# --- plain CSV -----------------------------------------------------------------------------------


def test_plain_csv_sample_with_semicolons_and_decimal_commas() -> None:
    result = read_run_files([RUNS / "plain_log.csv"], IN_UTC)
    assert result.errors == []
    runs = result.runs
    assert [r.distance_m for r in runs] == [5200.0, 10000.0, 2500.0, 3000.0, 7250.0]
    assert runs[0].start == at(2024, 3, 1)  # a date alone is midnight
    assert runs[0].duration_s == 31 * 60 + 10
    assert runs[0].footwear_override is Footwear.BAREFOOT
    assert runs[1].start == at(2024, 3, 2, 7, 15)
    assert runs[1].duration_s == 3600
    assert runs[1].gear == "Altra Escalante"
    assert runs[2].activity_type == "walk" and runs[2].duration_s is None
    assert classify_footwear(runs[3], {})[0] is Footwear.BAREFOOT  # "barfuß" in the name
    assert runs[4].activity_type == "ride"


@pytest.mark.parametrize(
    ("header", "value", "metres"),
    [
        ("distance_km", "5.5", 5500.0),
        ("Distance (km)", "5.5", 5500.0),
        ("distance_mi", "3.1", 3.1 * 1609.344),
        ("miles", "3.1", 3.1 * 1609.344),
        ("distance_m", "5500", 5500.0),
        ("distance", "5.5", 5500.0),  # kilometres unless told
    ],
)
def test_plain_csv_units(tmp_path: Path, header: str, value: str, metres: float) -> None:
    path = write(tmp_path, "log.csv", f"date,{header}\n2024-01-01,{value}\n")
    assert read_run_files([path], IN_UTC).runs[0].distance_m == pytest.approx(metres)


def test_plain_csv_distance_unit_option(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "date,distance\n2024-01-01,2\n")
    run = read_run_files([path], ImportOptions(distance_unit="mi", local_tz=UTC)).runs[0]
    assert run.distance_m == pytest.approx(2 * 1609.344)


def test_plain_csv_optional_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "Date,Distance_km,Duration_min,Activity,Shoes,Title,Notes,Footwear,ID\n"
        '2024-01-01T07:00:00+01:00,5,30,Walk,Xero,Dawn,"cold, wet",minimal,a1\n'
        "2024-01-02,5,,,,,,BF,\n",
    )
    first, second = read_run_files([path], IN_UTC).runs
    assert first.start == datetime(2024, 1, 1, 6, 0, tzinfo=UTC)  # its own offset wins
    assert first.duration_s == 1800
    assert (first.activity_type, first.gear, first.name) == ("walk", "Xero", "Dawn")
    assert first.description == "cold, wet"
    assert first.footwear_override is Footwear.MINIMAL
    assert first.external_id == "csv:a1"
    assert second.activity_type == "run"  # a run log: run unless it says otherwise
    assert second.footwear_override is Footwear.BAREFOOT  # "BF" in the footwear column


def test_plain_csv_ids_are_stable_and_identical_rows_stay_apart(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "date,km\n2024-01-01,5\n2024-01-01,5\n2024-01-02,5\n")
    first = [r.external_id for r in read_run_files([path], IN_UTC).runs]
    again = [r.external_id for r in read_run_files([path], IN_UTC).runs]
    assert first == again
    assert len(set(first)) == 3
    assert first[1] == first[0] + "#2"


def test_plain_csv_row_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "date,km,footwear,duration\n"
        "2024-01-01,5,,\n"
        "2024-13-45,5,,\n"
        "2024-01-03,-5,,\n"
        "2024-01-04,abc,,\n"
        "2024-01-05,5,sneakers,\n"
        "2024-01-06,5,,forever\n",
    )
    result = read_run_files([path], IN_UTC)
    assert [r.start.day for r in result.runs] == [1, 5]  # a bad footwear value keeps the run
    assert result.runs[1].footwear_override is None
    assert len(result.errors) == 5
    assert any("line 6" in e and "sneakers" in e for e in result.errors)


def test_plain_csv_slash_dates(tmp_path: Path) -> None:
    settled = write(tmp_path, "a.csv", "date,km\n03/04/2024,5\n25/04/2024,5\n")
    assert [r.start.month for r in read_run_files([settled], IN_UTC).runs] == [4, 4]
    ambiguous = write(tmp_path, "b.csv", "date,km\n03/04/2024,5\n")
    result = read_run_files([ambiguous], IN_UTC)
    assert result.runs == [] and "YYYY-MM-DD" in result.errors[0]


# --- odd input -----------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "activities.csv", "")])
    assert result.runs == []
    assert result.errors == [
        f"{tmp_path / 'activities.csv'}: not a run log footlog knows: the file is empty"
    ]


def test_binary_junk_named_csv(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "activities.csv", bytes(range(256)) * 4)])
    assert result.runs == []
    assert "not a run log footlog knows: binary data" in result.errors[0]


def test_csv_without_the_columns_any_importer_needs(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "x.csv", "date,heart rate\n2024-01-01,60\n")])
    assert result.runs == []
    assert "no date and distance columns (its columns: date, heart rate)" in result.errors[0]


def test_spreadsheets_are_named(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "runs.xlsx", b"PK\x03\x04 fake workbook")])
    assert "save it as CSV" in result.errors[0]


def test_windows_1252_text(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "date;km;name\n2024-01-01;5;Lauf barfuß\n", "cp1252")
    (run,) = read_run_files([path], IN_UTC).runs
    assert run.name == "Lauf barfuß"


def test_utf16_text_from_excel(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "date\tkm\tname\n2024-01-01\t5\tPieds nus\n", "utf-16")
    (run,) = read_run_files([path], IN_UTC).runs
    assert (run.distance_m, run.name) == (5000.0, "Pieds nus")


def test_excel_sep_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "sep=;\ndate;km\n2024-01-01;5,5\n")
    assert read_run_files([path], IN_UTC).runs[0].distance_m == pytest.approx(5500.0)


def test_binary_bytes_after_a_good_start(tmp_path: Path) -> None:
    # The NUL bytes come after the first 64 KiB, which are all `recognises()` is shown.
    content = (
        b"date,km,name\n2024-01-01,5," + b"x" * 70_000 + b"\n2024-01-02,\x00\x00\n2024-01-03,5,\n"
    )
    result = read_run_files([write(tmp_path, "log.csv", content)], IN_UTC)
    assert [r.start.day for r in result.runs] == [1, 3]
    assert len(result.errors) == 1 and "line 3: distance" in result.errors[0]


def test_a_broken_quote_stops_the_file_and_keeps_what_came_before(tmp_path: Path) -> None:
    content = 'date,km,name\n2024-01-01,5,a\n2024-01-02,5,"b\n' + "2024-01-03,5,c\n" * 3
    result = read_run_files([write(tmp_path, "log.csv", content)], IN_UTC)
    # csv reads the open quote to the end of the file: one bad row, reported, not a crash.
    assert [r.start.day for r in result.runs] == [1]
    assert len(result.errors) == 1


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = read_run_files([tmp_path / "nope.csv", tmp_path / "empty"])
    assert result.errors == [
        f"{tmp_path / 'nope.csv'}: no such file or folder",
        f"{tmp_path / 'empty'}: found no run log in it (CSV, GPX, TCX or FIT)",
    ]


def test_junk_named_zip(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "export.zip", b"not a zip")])
    assert result.runs == [] and "not a readable zip archive" in result.errors[0]


def test_one_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.gpx", "<gpx")
    result = read_run_files([bad, RUNS / "run.fit", tmp_path / "missing.tcx"])
    assert len(result.runs) == 1 and len(result.errors) == 2


def test_an_importer_that_raises_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self, data, source, options=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(GpxImporter, "read_bytes", explode)
    result = read_run_files([RUNS / "track.gpx", RUNS / "run.fit"])
    assert len(result.runs) == 1
    assert "GPX: footlog could not read it (RuntimeError: boom)" in result.errors[0]


def test_hidden_and_resource_fork_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "export/.DS_Store", b"\x00\x00junk")
    write(tmp_path, "export/__MACOSX/._track.gpx", b"\x00\x05\x16\x07junk")
    write(tmp_path, "export/track.gpx", (RUNS / "track.gpx").read_bytes())
    result = read_run_files([tmp_path / "export"])
    assert len(result.runs) == 1 and result.errors == [] and result.skipped == 0


@pytest.mark.parametrize("name", ["x.csv", "x.gpx", "x.tcx", "x.fit", "activities.csv"])
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe\x00",
        b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt lat='x' lon='y'><time>never</time>",
        b'Activity ID,Activity Date,Activity Type,Distance\n1,2,3\n"unterminated',
        b"\x0e\x20\x00\x00\x10\x00\x00\x00.FIT" + b"\xff" * 40,
        "date;km\n\u2028;\u00a0\n".encode(),
    ],
)
def test_odd_bytes_never_raise(tmp_path: Path, name: str, content: bytes) -> None:
    result = read_run_files([write(tmp_path, name, content)])
    assert isinstance(result, ImportedRuns)
    assert result.runs or result.errors


# --- cells: numbers, durations, dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "single_comma", "value"),
    [
        ("10.02", "decimal", 10.02),
        ("10,02", "decimal", 10.02),
        ("1,234.5", "decimal", 1234.5),
        ("1.234,5", "decimal", 1234.5),
        ("1 234,5", "decimal", 1234.5),
        ("1,234", "thousands", 1234.0),
        ("1,234", "decimal", 1.234),
        ("1,234,567", "decimal", 1234567.0),
        ("--", "decimal", None),
        ("", "decimal", None),
        ("-3", "decimal", -3.0),
    ],
)
def test_parse_number(text: str, single_comma, value: float | None) -> None:
    assert parse_number(text, single_comma=single_comma) == (
        pytest.approx(value) if value is not None else None
    )


@pytest.mark.parametrize("text", ["ten", "1.2.3,4,5", "5km", "1e", "nan?"])
def test_parse_number_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3723", 3723.0),
        ("3723.4", 3723.4),
        ("01:02:03", 3723.0),
        ("1:02:03.5", 3723.5),
        ("00:45:12.3", 2712.3),
        ("45:12", 2712.0),
        ("1d 02:03:04", 93784.0),
        ("--", None),
    ],
)
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


@pytest.mark.parametrize("text", ["an hour", "01:61:00", "-5", "12:75"])
def test_parse_duration_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oct 7, 2020, 2:43:11 PM", at(2020, 10, 7, 14, 43, 11)),
        ("Oct 7, 2020, 12:43:11 AM", at(2020, 10, 7, 0, 43, 11)),
        ("October 7, 2020 2:43 pm", at(2020, 10, 7, 14, 43)),
        ("7 Oct 2020 14:43:11", at(2020, 10, 7, 14, 43, 11)),
        ("07.10.2020, 14:43:11", at(2020, 10, 7, 14, 43, 11)),
        ("7. Okt. 2020, 14:43:11", at(2020, 10, 7, 14, 43, 11)),
        ("7 déc. 2020 à 14:43:11", at(2020, 12, 7, 14, 43, 11)),
        ("7 dic. 2020, 2:43:11 p. m.", at(2020, 12, 7, 14, 43, 11)),
        ("mar 3 mars 2020 08:00", at(2020, 3, 3, 8, 0)),  # French Tuesday, then March
        ("2020-10-07T14:43:11Z", at(2020, 10, 7, 14, 43, 11)),
        ("2020-10-07 14:43:11 UTC", at(2020, 10, 7, 14, 43, 11)),
        ("2020-10-07T16:43:11+02:00", at(2020, 10, 7, 14, 43, 11)),
        ("2020-10-07", at(2020, 10, 7)),
        ("2020/10/07 14:43", at(2020, 10, 7, 14, 43)),
        ("2020-10-07 7:05:00", at(2020, 10, 7, 7, 5)),
        ("7/4/20 15:36", at(2020, 7, 4, 15, 36)),  # with slash_order="mdy" below
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text, zone=UTC, slash_order="mdy") == expected


def test_parse_datetime_places_wall_clock_in_the_zone() -> None:
    assert parse_datetime("2020-10-07 14:43:11", zone=CEST) == datetime(
        2020, 10, 7, 14, 43, 11, tzinfo=CEST
    )
    # An offset written in the text wins over the zone.
    assert parse_datetime("2020-10-07T14:43:11Z", zone=CEST).utcoffset() == timedelta(0)


def test_parse_datetime_follows_daylight_saving_in_a_named_zone() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time-zone database on this machine")
    summer = parse_datetime("2023-07-01 08:00", zone=berlin)
    winter = parse_datetime("2023-01-01 08:00", zone=berlin)
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    "text", ["", "yesterday", "31.02.2020", "Oct 2020", "13:00 PM Oct 7, 2020", "Octember 7, 2020"]
)
def test_parse_datetime_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text, zone=UTC)


def test_ambiguous_slash_dates() -> None:
    with pytest.raises(AmbiguousDateError):
        parse_datetime("03/04/2024", zone=UTC)
    assert parse_datetime("03/04/2024", zone=UTC, slash_order="dmy") == at(2024, 4, 3)
    assert parse_datetime("13/04/2024", zone=UTC) == at(2024, 4, 13)
    assert slash_order_of(["01/02/2024", "01/25/2024"]) == "mdy"
    assert slash_order_of(["01/02/2024", "25/01/2024"]) == "dmy"
    assert slash_order_of(["01/02/2024", "2024-01-30"]) is None


# --- fuzzing: whatever the bytes, a result and no exception --------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

IMPORTERS = [
    StravaCsvImporter(),
    GarminCsvImporter(),
    PlainCsvImporter(),
    GpxImporter(),
    TcxImporter(),
    FitImporter(),
]
# Beginnings that lead the importers past their first checks.
PREFIXES = [
    b"",
    STRAVA_HEAD.encode(),
    b"Activity Type,Date,Favorite,Title,Distance,Time\n",
    b"date;km;duration;footwear\n",
    b"<gpx><trk><trkseg>",
    b"<TrainingCenterDatabase><Activities><Activity Sport='Running'>",
    (RUNS / "run.fit").read_bytes()[:40],
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=300))
def test_importers_never_raise(prefix: bytes, tail: bytes) -> None:
    for importer in IMPORTERS:
        result = importer.read_bytes(prefix + tail, "fuzz", IN_UTC)
        assert isinstance(result, ImportedRuns)
        for run in result.runs:
            assert run.start.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_cell_parsers_raise_only_value_errors(text: str) -> None:
    for parse in (
        lambda t: parse_datetime(t, zone=UTC),
        parse_number,
        parse_duration,
    ):
        with contextlib.suppress(ValueError):
            parse(text)
