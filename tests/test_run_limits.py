"""Runs that cannot break the charts: one rule for dates, distances and durations, checked
wherever a run is saved (importers of every format, `runs add`, edits), and readers that
leave out absurd values an older library already holds. Also `footlog runs delete`."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from footlog.cli import main
from footlog.domain.mileage import totals
from footlog.domain.run_limits import (
    EARLIEST_DAY,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    latest_day,
    run_problem,
    usable_in_sums,
)
from footlog.domain.runs import Run
from footlog.storage.database import LibraryError
from footlog.storage.library import Library, utc_now_iso
from footlog.storage.run_store import (
    add_run,
    delete_runs,
    list_runs,
    mileage_rows,
    save_runs,
    update_run,
)
from footlog.timeline import load_timeline

RUNS = Path(__file__).parent / "data" / "runs"
TODAY = date.today()
HUGE_KM = "1" + "0" * 308  # 1e308 km, typed as digits: infinite in metres


def load_make_fit():
    name = "footlog_tests_make_fit"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("make_fit.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_fit = load_make_fit()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def good_run(day: int = 1, **changes) -> Run:
    fields = dict(start=at(2024, 3, day, 7), distance_m=5000.0, duration_s=1800.0, name="ok")
    fields.update(changes)
    return Run(**fields)


# --- the rule ------------------------------------------------------------------------------------


def test_limits_accept_the_edges_and_refuse_beyond() -> None:
    first = datetime.combine(EARLIEST_DAY, datetime.min.time(), UTC)
    assert run_problem(good_run(start=first)) is None
    assert "before 1970-01-01" in run_problem(good_run(start=first - timedelta(seconds=1)))
    last = datetime.combine(latest_day(TODAY), datetime.max.time(), UTC)
    assert run_problem(good_run(start=last), TODAY) is None
    assert "in the future" in run_problem(good_run(start=last + timedelta(seconds=1)), TODAY)
    assert "in the future" in run_problem(good_run(start=datetime(9999, 12, 31, tzinfo=UTC)))

    assert run_problem(good_run(distance_m=0.0)) is None  # a treadmill walk with no distance
    assert run_problem(good_run(distance_m=None, duration_s=None)) is None
    assert run_problem(good_run(distance_m=MAX_DISTANCE_M - 1)) is None
    assert "1,000 km" in run_problem(good_run(distance_m=MAX_DISTANCE_M))
    assert "negative" in run_problem(good_run(distance_m=-1.0))
    assert "too large" in run_problem(good_run(distance_m=float("inf")))
    assert "not a number" in run_problem(good_run(distance_m=float("nan")))
    assert "1e+305 km" in run_problem(good_run(distance_m=1e308))

    assert run_problem(good_run(duration_s=MAX_DURATION_S - 1)) is None
    assert "14 days" in run_problem(good_run(duration_s=MAX_DURATION_S))
    assert "14 days" in run_problem(good_run(duration_s=27.7e9 * 3600))
    assert "negative" in run_problem(good_run(duration_s=-5.0))
    assert "too large" in run_problem(good_run(duration_s=float("inf")))


def test_usable_in_sums_ignores_the_duration() -> None:
    assert usable_in_sums(at(2024, 1, 1), 5000.0)
    assert usable_in_sums(at(2024, 1, 1), None)
    assert not usable_in_sums(at(2024, 1, 1), float("inf"))
    assert not usable_in_sums(datetime(9999, 12, 31, tzinfo=UTC), 5000.0)


# --- storage: every save goes through the rule ---------------------------------------------------


def test_save_runs_rejects_bad_runs_with_their_reason_and_keeps_the_rest(library) -> None:
    person = library.person()
    runs = [
        good_run(1, external_id="a"),
        good_run(2, external_id="b", start=datetime(9999, 12, 31, tzinfo=UTC),
                 source_file="log.csv", source_line=3),
        good_run(3, external_id="c", distance_m=1e308 * 1000, source_file="log.csv",
                 source_line=4),
        good_run(4, external_id="d", duration_s=27.7e9 * 3600, source_file="x.gpx"),
        good_run(5, external_id="e"),
    ]
    summary = save_runs(library, person, runs)
    assert (summary.added, summary.duplicates) == (2, 0)
    assert len(summary.rejected) == 3
    assert summary.rejected[0].startswith("log.csv: line 3: not imported: the date 9999-12-31")
    assert summary.rejected[1].startswith("log.csv: line 4: not imported: the distance")
    assert summary.rejected[2].startswith("x.gpx: the run of 2024-03-04 07:00: not imported:")
    assert "14 days" in summary.rejected[2]
    assert "3 rejected" in summary.headline()
    assert [r["external_id"] for r in list_runs(library, person)] == ["a", "e"]


def test_add_and_update_refuse_values_out_of_range(library) -> None:
    person = library.person()
    with pytest.raises(LibraryError, match="in the future"):
        add_run(library, person, good_run(start=datetime(9999, 12, 31, tzinfo=UTC)))
    with pytest.raises(LibraryError, match="too large"):
        add_run(library, person, good_run(distance_m=float("inf")))
    run_id = add_run(library, person, good_run())
    with pytest.raises(LibraryError, match="1,000 km"):
        update_run(library, person, run_id, distance_m=2_000_000.0)
    with pytest.raises(LibraryError, match="14 days"):
        update_run(library, person, run_id, duration_s=30 * 86400.0)
    with pytest.raises(LibraryError, match="before 1970"):
        update_run(library, person, run_id, start=at(1969, 7, 20))
    (stored,) = list_runs(library, person)
    assert stored["distance_m"] == 5000 and stored["duration_s"] == 1800
    assert stored["start"].startswith("2024-03-01")


# --- importers of every format, through the command line -----------------------------------------


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


PLAIN_CSV = """\
date,distance_km,duration,name
2024-03-01,5.2,00:31:10,Good one
9999-12-31,5,00:30:00,Far future
2024-03-03,1e308,00:30:00,Huge
2024-03-04,5,27700000000:00:00,Very long
"""

STRAVA_CSV = """\
Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Elapsed Time,\
Distance
1,"Oct 7, 2020, 2:43:11 PM",Good,Run,2712,8.02,2712.0,8021.5
2,"Dec 31, 9999, 2:43:11 PM",Future,Run,2712,8.02,2712.0,8021.5
3,"Oct 9, 2020, 2:43:11 PM",Huge,Run,2712,8.02,2712.0,1e308
4,"Oct 10, 2020, 2:43:11 PM",Long,Run,99720000000000,8.02,99720000000000,8021.5
"""

GARMIN_CSV = """\
Activity Type,Date,Favorite,Title,Distance,Calories,Time
Running,2023-05-01 07:12:33,false,"Good","10.02","650","00:52:10"
Running,2099-05-01 07:12:33,false,"Future","10.02","650","00:52:10"
Running,2023-05-03 07:12:33,false,"Far","5000","650","00:52:10"
"""

GPX = """\
<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>{name}</name><trkseg>
  <trkpt lat="1.0" lon="2.0"><time>{day}T06:00:00Z</time></trkpt>
  <trkpt lat="1.01" lon="2.0"><time>{day}T06:30:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""

TCX = """\
<TrainingCenterDatabase><Activities>
<Activity Sport="Running"><Id>9999-12-31T23:00:00-05:00</Id>
 <Lap><TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters></Lap>
</Activity>
<Activity Sport="Running"><Id>2021-12-30T07:00:00Z</Id>
 <Lap><TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters></Lap>
</Activity>
<Activity Sport="Running"><Id>2021-12-31T07:00:00Z</Id>
 <Lap><TotalTimeSeconds>1e300</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters></Lap>
</Activity>
</Activities></TrainingCenterDatabase>
"""


def import_and_list(capsys, lib: Path, *files: Path) -> tuple[int, str, list[str], list[dict]]:
    code, out, err = cli(capsys, "--library", str(lib), "runs", "import", *map(str, files))
    _, listing, _ = cli(capsys, "--library", str(lib), "runs", "--json")
    return code, out, err.splitlines(), json.loads(listing)


def test_plain_csv_rows_out_of_range_are_rejected_with_their_line(tmp_path, capsys) -> None:
    path = write(tmp_path, "log.csv", PLAIN_CSV)
    code, out, err, runs = import_and_list(capsys, tmp_path / "lib", path)
    assert code == 0  # the good row was imported
    assert "1 run(s) added, 0 already there, 3 rejected, 3 problem(s)" in out
    assert err[0] == (
        f"footlog: warning: {path}: line 3: not imported: the date 9999-12-31 is in the future "
        f"(after {latest_day().isoformat()})"
    )
    assert err[1].startswith(f"footlog: warning: {path}: line 4: not imported: the distance is")
    assert err[2].startswith(f"footlog: warning: {path}: line 5: not imported: the duration")
    assert [r["name"] for r in runs] == ["Good one"]


def test_strava_activities_csv_rows_out_of_range_are_rejected(tmp_path, capsys) -> None:
    path = write(tmp_path, "activities.csv", STRAVA_CSV)
    code, out, err, runs = import_and_list(capsys, tmp_path / "lib", path)
    assert code == 0 and "1 run(s) added" in out and "3 rejected" in out
    assert [line.split(": not imported: ")[0] for line in err] == [
        f"footlog: warning: {path}: line {n}" for n in (3, 4, 5)
    ]
    assert "9999-12-31" in err[0] and "distance" in err[1] and "14 days" in err[2]
    assert [r["name"] for r in runs] == ["Good"]


def test_garmin_csv_rows_out_of_range_are_rejected(tmp_path, capsys) -> None:
    path = write(tmp_path, "Activities.csv", GARMIN_CSV)
    code, out, err, runs = import_and_list(capsys, tmp_path / "lib", path)
    assert code == 0 and "2 rejected" in out
    assert "line 3: not imported: the date 2099-05-01 is in the future" in err[0]
    assert "line 4: not imported: the distance 5,000 km is not below 1,000 km" in err[1]
    assert [r["name"] for r in runs] == ["Good"]


def test_gpx_track_out_of_range_is_rejected_and_the_good_file_kept(tmp_path, capsys) -> None:
    bad = write(tmp_path, "future.gpx", GPX.format(name="Future", day="9999-12-31"))
    good = write(tmp_path, "good.gpx", GPX.format(name="Good", day="2021-05-02"))
    code, out, err, runs = import_and_list(capsys, tmp_path / "lib", bad, good)
    assert code == 0 and "1 run(s) added, 0 already there, 1 rejected" in out
    assert err == [
        f"footlog: warning: {bad}: the run of 9999-12-31 06:00: not imported: the date "
        f"9999-12-31 is in the future (after {latest_day().isoformat()})"
    ]
    assert [r["name"] for r in runs] == ["Good"]


def test_tcx_activities_out_of_range_are_rejected_and_the_good_one_kept(tmp_path, capsys):
    # 9999-12-31T23:00-05:00 is past the end of the calendar in UTC: the importer must not
    # crash on it (and lose the good activity of the same file).
    path = write(tmp_path, "three.tcx", TCX)
    code, out, err, runs = import_and_list(capsys, tmp_path / "lib", path)
    assert code == 0 and "1 run(s) added, 0 already there, 2 rejected" in out
    assert "the run of 9999-12-31 23:00: not imported: the date 9999-12-31" in err[0]
    assert "the run of 2021-12-31 07:00: not imported: the duration" in err[1]
    assert [r["start"] for r in runs] == ["2021-12-30T07:00:00+00:00"]


def test_fit_activities_out_of_range_are_rejected(tmp_path, capsys) -> None:
    far = write(tmp_path, "far.fit",
                make_fit.activity_fit(at(2022, 1, 1, 9), 5_000_000.0, 600.0, 590.0, serial=1))
    long = write(tmp_path, "long.fit",
                 make_fit.activity_fit(at(2022, 1, 2, 9), 5000.0, 20 * 86400.0, 590.0, serial=2))
    future = write(tmp_path, "future.fit",
                   make_fit.activity_fit(at(2100, 1, 3, 9), 5000.0, 600.0, 590.0, serial=3))
    code, out, err, runs = import_and_list(
        capsys, tmp_path / "lib", far, long, future, RUNS / "run.fit"
    )
    assert code == 0 and "1 run(s) added, 0 already there, 3 rejected" in out
    assert f"{far}: the run of 2022-01-01 09:00: not imported: the distance 5,000 km" in err[0]
    assert f"{long}: the run of 2022-01-02 09:00: not imported: the duration 480 h" in err[1]
    assert f"{future}: the run of 2100-01-03 09:00: not imported: the date 2100-01-03" in err[2]
    assert [r["distance_m"] for r in runs] == [pytest.approx(5012.34)]


def test_import_of_only_rejected_runs_fails(tmp_path, capsys) -> None:
    path = write(tmp_path, "future.gpx", GPX.format(name="Future", day="9999-12-31"))
    code, out, _ = cli(capsys, "--library", str(tmp_path / "lib"), "runs", "import",
                         "--json", str(path))
    assert code == 1
    report = json.loads(out)
    assert report["added"] == 0 and len(report["rejected"]) == 1
    assert report["rejected"] == report["errors"]


# --- runs add ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--date", "9999-12-31", "--distance", "5"], "the date 9999-12-31 is in the future"),
        (["--date", "9999-12-31T23:59", "--distance", "5"], "the date 9999-12-31"),
        (["--date", "1969-12-31", "--distance", "5"], "before 1970-01-01"),
        (["--date", "2024-01-01", "--distance", f"{HUGE_KM}km"], "the distance is too large"),
        (["--date", "2024-01-01", "--distance", "1e308km"], "not a distance"),
        (["--date", "2024-01-01", "--distance", "1500km"], "not below 1,000 km"),
        (["--date", "2024-01-01", "--distance", "5", "--duration", "27700000000h"], "14 days"),
    ],
)
def test_runs_add_refuses_values_out_of_range_in_one_line(
    tmp_path, capsys, args: list[str], reason: str
) -> None:
    lib = str(tmp_path / "lib")
    code, out, err = cli(capsys, "--library", lib, "runs", "add", *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("footlog: ") and reason in err
    assert json.loads(cli(capsys, "--library", lib, "runs", "--json")[1]) == []


# --- an older library holding absurd values ------------------------------------------------------


def old_library(root: Path) -> Path:
    """A library with measured photos and good runs, plus runs an older footlog accepted:
    dated 9999-12-31 and 0001-01-01, infinite, huge and negative distances, an infinite
    duration. They are written straight into the database, as that footlog did."""
    with Library.open(root) as lib:
        person = lib.person()
        save_runs(
            lib,
            person,
            [
                Run(at(2020, 1, 1, 12) + timedelta(days=3 * d), 5000.0 + 10 * d, 1800.0,
                    name="Barefoot run", external_id=f"good:{d}")
                for d in range(200)
            ],
        )
        for day in ("2020-02-01", "2021-06-01"):
            for foot in ("left", "right"):
                sha = hashlib.sha256(f"{day}{foot}".encode()).hexdigest()
                cur = lib.db.execute(
                    "INSERT INTO photos (person_id, sha256, file_name, original_name, format, "
                    "byte_size, taken_at, taken_at_source, foot, view, width, height, "
                    "imported_at, status, auto_status) VALUES (?, ?, ?, ?, 'jpeg', 1, ?, "
                    "'user', ?, 'dorsal', 40, 30, ?, 'ok', 'ok')",
                    [person.id, sha, f"{sha}.jpg", f"{foot}.jpg", f"{day}T09:00:00", foot,
                     utc_now_iso()],
                )
                lib.db.execute(
                    "INSERT INTO measures (photo_id, name, value, unit) "
                    "VALUES (?, 'hallux_angle', ?, '°')",
                    [cur.lastrowid, 12.0 if day < "2021" else 11.0],
                )
        lib.db.conn.commit()
    absurd = [
        ("9999-12-31T07:00:00+00:00", 5000.0, 1800.0),
        ("0001-01-01T07:00:00+00:00", 5000.0, 1800.0),
        ("2020-05-01T07:00:00+00:00", float("inf"), 1800.0),
        ("2020-05-02T07:00:00+00:00", 1e308, 1e14),
        ("2020-05-03T07:00:00+00:00", 1e308, 1800.0),
        ("2020-05-04T07:00:00+00:00", -1e300, float("inf")),
        ("2020-05-05T07:00:00+00:00", 5000.0, float("-inf")),
    ]
    con = sqlite3.connect(root / "footlog.db")
    with con:
        for n, (start, metres, seconds) in enumerate(absurd):
            con.execute(
                "INSERT INTO runs (person_id, start, distance_m, duration_s, activity_type, "
                "name, footwear, footwear_source, counts_toward_mileage, external_id, "
                "imported_at) VALUES (1, ?, ?, ?, 'run', ?, 'barefoot', 'keyword', 1, ?, ?)",
                [start, metres, seconds, f"Barefoot absurd {n}", f"old:{n}", utc_now_iso()],
            )
    con.close()
    return root


@pytest.fixture(scope="module")
def old_root(tmp_path_factory) -> Path:
    return old_library(tmp_path_factory.mktemp("old") / "library")


@pytest.mark.parametrize("kind", ["timeline", "scatter", "overview"])
def test_charts_of_an_old_library_with_absurd_runs(old_root, tmp_path, capsys, kind) -> None:
    out = tmp_path / f"{kind}.png"
    code, _, err = cli(capsys, "--library", str(old_root), "chart", kind, "--out", str(out))
    assert code == 0, err
    assert out.stat().st_size > 1000


def test_report_of_an_old_library_with_absurd_runs(old_root, tmp_path, capsys) -> None:
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    code, _, err = cli(capsys, "--library", str(old_root), "report", "--out", str(out))
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Distance per year" in text and "inf" not in text.casefold().split()


def test_export_of_an_old_library_with_absurd_runs(old_root, tmp_path, capsys) -> None:
    folder = tmp_path / "csv"
    code, _, err = cli(capsys, "--library", str(old_root), "export", "csv", str(folder))
    assert code == 0, err
    with open(folder / "runs.csv", newline="", encoding="utf-8") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    assert len(rows) == 8  # every stored run is exported: the export is the person's data
    assert rows["Barefoot absurd 2"]["distance_m"] == ""  # not "inf"
    assert rows["Barefoot absurd 5"]["duration_s"] == ""
    assert rows["Barefoot absurd 0"]["start"].startswith("9999-12-31")
    assert (folder / "sessions.csv").read_text(encoding="utf-8").count("\n") > 1


def test_listing_an_old_library_with_absurd_runs(old_root, capsys) -> None:
    code, out, _ = cli(capsys, "--library", str(old_root), "runs")
    assert code == 0 and "Barefoot absurd 5" in out
    line = next(line for line in out.splitlines() if "Barefoot absurd 2" in line)
    assert "? km" in line
    code, out, _ = cli(capsys, "--library", str(old_root), "runs", "--json")
    runs = {r["name"]: r for r in json.loads(out)}  # valid JSON: no Infinity
    assert runs["Barefoot absurd 2"]["distance_m"] is None
    assert runs["Barefoot absurd 5"]["duration_s"] is None


def test_sums_leave_out_what_the_limits_refuse(old_root) -> None:
    with Library.open(old_root) as lib:
        person = lib.person()
        rows = mileage_rows(lib, person)
        assert len(rows) == 200 + 1  # the good runs, and the one with only a bad duration
        years = totals(list_runs(lib, person), "year")
        assert [t.key for t in years] == ["2020", "2021"]
        assert sum(t.total_m for t in years) == pytest.approx(
            sum(5000.0 + 10 * d for d in range(200)) + 5000.0
        )
        data = load_timeline(lib, person)
    assert all(math.isfinite(km) for km in data.cumulative_km)
    assert data.weeks[-1].end < date(2022, 1, 1)


# --- runs delete ---------------------------------------------------------------------------------


def test_runs_delete_by_id(tmp_path, capsys) -> None:
    lib = str(tmp_path / "lib")
    for day in ("2024-05-01", "2024-05-02", "2024-05-03"):
        assert cli(capsys, "--library", lib, "runs", "add", "--date", day, "--distance", "5",
                   "--name", f"run {day}")[0] == 0
    code, out, err = cli(capsys, "--library", lib, "runs", "delete", "1", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("deleted 1  ") and lines[0].endswith("  run 2024-05-01")
    assert lines[1].startswith("deleted 3  ") and lines[1].endswith("  run 2024-05-03")
    assert lines[2] == "2 run(s) deleted"
    remaining = json.loads(cli(capsys, "--library", lib, "runs", "--json")[1])
    assert [r["id"] for r in remaining] == [2]


def test_runs_delete_with_an_unknown_id_deletes_nothing(tmp_path, capsys) -> None:
    lib = str(tmp_path / "lib")
    cli(capsys, "--library", lib, "runs", "add", "--date", "2024-05-01", "--distance", "5")
    code, out, err = cli(capsys, "--library", lib, "runs", "delete", "1", "7", "9")
    assert code == 1 and out == ""
    assert err == "footlog: no runs with ids 7, 9 for Me; nothing was deleted\n"
    assert len(json.loads(cli(capsys, "--library", lib, "runs", "--json")[1])) == 1


def test_runs_delete_json_and_another_persons_run(tmp_path, capsys) -> None:
    lib = str(tmp_path / "lib")
    cli(capsys, "--library", lib, "people", "--add", "Ana")
    cli(capsys, "--library", lib, "people", "--add", "Ben")
    for who in ("Ana", "Ben"):
        cli(capsys, "--library", lib, "--person", who, "runs", "add", "--date", "2024-05-01",
            "--distance", "5", "--name", who)
    code, _, err = cli(capsys, "--library", lib, "--person", "Ana", "runs", "delete", "2")
    assert code == 1 and "no run with id 2 for Ana" in err  # run 2 is Ben's
    code, out, _ = cli(capsys, "--library", lib, "--person", "Ben", "runs", "delete", "--json",
                       "2")
    assert code == 0
    (deleted,) = json.loads(out)
    assert deleted["id"] == 2 and deleted["name"] == "Ben" and deleted["incomplete"] is False
    assert [r["name"] for r in json.loads(cli(capsys, "--library", lib, "runs", "--json")[1])] \
        == ["Ana"]


def test_delete_runs_is_all_or_nothing(library) -> None:
    person = library.person()
    ids = [add_run(library, person, good_run(day)) for day in (1, 2, 3)]
    with pytest.raises(LibraryError, match="no run with id 99"):
        delete_runs(library, person, [ids[0], 99])
    assert len(list_runs(library, person)) == 3
    deleted = delete_runs(library, person, [ids[2], ids[0], ids[2]])
    assert [r["id"] for r in deleted] == [ids[2], ids[0]]
    assert [r["id"] for r in list_runs(library, person)] == [ids[1]]
    assert delete_runs(library, person, []) == []
