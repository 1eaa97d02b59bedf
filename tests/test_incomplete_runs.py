"""Runs read from files that end early: stored as incomplete, shown so, and replaced by a
complete copy of the same activity imported later (never the other way round)."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from footlog.cli import main
from footlog.domain.runs import Footwear, Run
from footlog.importers import read_run_files
from footlog.importers.cells import close_cut_xml
from footlog.storage.run_store import list_runs, save_runs, update_run

RUNS = Path(__file__).parent / "data" / "runs"
FIT = (RUNS / "run.fit").read_bytes()
GPX = (RUNS / "track.gpx").read_bytes()
TCX = (RUNS / "activity.tcx").read_bytes()


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


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --- reading -------------------------------------------------------------------------------------


def test_a_fit_file_cut_in_half_gives_an_incomplete_run(tmp_path: Path) -> None:
    result = read_run_files([write(tmp_path, "half.fit", FIT[: len(FIT) // 2])])
    (run,) = result.runs
    assert run.incomplete
    assert run.distance_m == pytest.approx(2509.5, abs=10)  # what the battery saw: 2.51 km
    assert run.external_id == read_run_files([RUNS / "run.fit"]).runs[0].external_id
    (error,) = result.errors
    assert "damaged FIT file: it ends early" in error and "marked incomplete" in error


def test_a_fit_file_cut_after_its_session_keeps_a_complete_run(tmp_path: Path) -> None:
    # Only the checksum is missing: the session message, the watch's own totals, was read.
    result = read_run_files([write(tmp_path, "nocrc.fit", FIT[:-2])])
    (run,) = result.runs
    assert not run.incomplete and run.distance_m == pytest.approx(5012.34)
    assert "after the activity's summary" in result.errors[0]


def test_a_fit_file_with_only_a_bad_checksum_is_not_incomplete(tmp_path: Path) -> None:
    damaged = FIT[:-2] + bytes([FIT[-2] ^ 0xFF, FIT[-1]])
    (run,) = read_run_files([write(tmp_path, "crc.fit", damaged)]).runs
    assert not run.incomplete


def test_intact_files_are_complete() -> None:
    result = read_run_files([RUNS / "run.fit", RUNS / "track.gpx", RUNS / "activity.tcx"])
    assert result.errors == [] and len(result.runs) == 3
    assert not any(run.incomplete for run in result.runs)


@pytest.mark.parametrize(("name", "data"), [("cut.gpx", GPX), ("cut.tcx", TCX)])
def test_gpx_and_tcx_cut_mid_document_give_incomplete_runs(tmp_path, name, data) -> None:
    whole = read_run_files([write(tmp_path, f"whole{Path(name).suffix}", data)]).runs[0]
    result = read_run_files([write(tmp_path, name, data[: len(data) // 2])])
    (run,) = result.runs
    assert run.incomplete and run.start == whole.start
    assert run.distance_m < whole.distance_m
    (error,) = result.errors
    assert "ends early (cut off mid-document)" in error


def test_gpx_and_tcx_broken_before_their_end_are_still_errors(tmp_path: Path) -> None:
    broken = GPX.replace(b"</trkseg>", b"</trk>", 1)
    result = read_run_files([write(tmp_path, "broken.gpx", broken)])
    assert result.runs == [] and "not a valid GPX" in result.errors[0]
    result = read_run_files([write(tmp_path, "start.tcx", TCX[:200])])  # no element ended yet
    assert result.runs == [] and "not valid XML" in result.errors[0]


def test_close_cut_xml() -> None:
    assert close_cut_xml("<a><b>1</b></a>") is None  # whole
    assert close_cut_xml("<a><b>1</c></a>") is None  # broken, not cut
    assert close_cut_xml("<a><b>1</b><b>2</b><b>") == "<a><b>1</b><b>2</b></a>"
    closed = close_cut_xml('<r xmlns:x="u"><x:p><x:q v="a>b"/>t</x:p><x:p><x:q')
    assert closed == '<r xmlns:x="u"><x:p><x:q v="a>b"/>t</x:p></r>'
    ET.fromstring(closed)
    assert close_cut_xml("<a><b>1") is None  # nothing whole inside the root
    text = close_cut_xml("<a><b>é ☃</b><b>x")
    assert text == "<a><b>é ☃</b></a>"


# --- storing, listing, replacing -----------------------------------------------------------------


def runs_json(capsys, lib: str) -> list[dict]:
    return json.loads(cli(capsys, "--library", lib, "runs", "--json")[1])


def test_truncated_fit_is_stored_incomplete_and_the_intact_file_replaces_it(
    tmp_path: Path, capsys
) -> None:
    lib = str(tmp_path / "lib")
    half = write(tmp_path, "half.fit", FIT[: len(FIT) // 2])
    code, out, err = cli(capsys, "--library", lib, "runs", "import", str(half))
    assert code == 0
    assert out.strip() == "1 run(s) added (1 incomplete), 0 already there, 1 problem(s)"
    assert "marked incomplete" in err
    (short,) = runs_json(capsys, lib)
    assert short["incomplete"] is True and short["distance_m"] == pytest.approx(2509.5, abs=10)
    listing = cli(capsys, "--library", lib, "runs")[1]
    assert "(incomplete: its file ends early)" in listing

    code, out, err = cli(capsys, "--library", lib, "runs", "import", str(RUNS / "run.fit"))
    assert code == 0 and err == ""
    assert out.strip() == (
        "0 run(s) added, 1 replaced an incomplete copy, 0 already there, 0 problem(s)"
    )
    (whole,) = runs_json(capsys, lib)
    assert whole["id"] == short["id"]  # replaced in place
    assert whole["incomplete"] is False
    assert whole["distance_m"] == pytest.approx(5012.34)
    assert whole["duration_s"] == pytest.approx(1830.5)
    assert "incomplete" not in cli(capsys, "--library", lib, "runs")[1]

    # The cut copy again, after the whole one: already there, and it changes nothing.
    code, out, _ = cli(capsys, "--library", lib, "runs", "import", "--json", str(half))
    report = json.loads(out)
    assert code == 0
    assert (report["added"], report["replaced"], report["duplicates"]) == (0, 0, 1)
    assert runs_json(capsys, lib) == [whole]


def test_an_incomplete_copy_never_replaces_a_complete_run(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    cli(capsys, "--library", lib, "runs", "import", str(RUNS / "run.fit"))
    before = runs_json(capsys, lib)
    half = write(tmp_path, "half.fit", FIT[: len(FIT) // 2])
    _, out, _ = cli(capsys, "--library", lib, "runs", "import", str(half))
    assert "0 run(s) added, 1 already there" in out
    assert runs_json(capsys, lib) == before


def test_a_gpx_cut_short_is_replaced_by_same_start_and_type(tmp_path: Path, capsys) -> None:
    # A GPX file's id is a hash of its bytes: the cut copy's differs from the whole one's, so
    # the copies are matched by start and type.
    lib = str(tmp_path / "lib")
    cut = write(tmp_path, "cut.gpx", GPX[: len(GPX) // 2])
    cli(capsys, "--library", lib, "runs", "import", str(cut))
    (short,) = runs_json(capsys, lib)
    assert short["incomplete"] is True
    _, out, _ = cli(capsys, "--library", lib, "runs", "import", str(RUNS / "track.gpx"))
    assert "1 replaced an incomplete copy" in out
    (whole,) = runs_json(capsys, lib)
    assert whole["id"] == short["id"] and whole["incomplete"] is False
    assert whole["distance_m"] == pytest.approx(2003.75, abs=0.1)
    assert whole["external_id"] != short["external_id"]
    assert whole["source_file"] == str(RUNS / "track.gpx")


def test_a_tcx_cut_short_is_replaced_by_the_whole_file(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    cli(capsys, "--library", lib, "runs", "import",
        str(write(tmp_path, "cut.tcx", TCX[: len(TCX) // 2])))
    _, out, _ = cli(capsys, "--library", lib, "runs", "import", str(RUNS / "activity.tcx"))
    assert "1 replaced an incomplete copy" in out
    (run,) = runs_json(capsys, lib)
    assert run["incomplete"] is False and run["distance_m"] == pytest.approx(5520.3)


def test_cut_and_whole_copies_in_one_import_keep_the_whole_one(tmp_path: Path, capsys) -> None:
    half = write(tmp_path, "half.fit", FIT[: len(FIT) // 2])
    for number, order in enumerate(((half, RUNS / "run.fit"), (RUNS / "run.fit", half))):
        lib = str(tmp_path / f"lib{number}")
        code, out, _ = cli(capsys, "--library", lib, "runs", "import", *map(str, order))
        assert code == 0 and out.startswith("1 run(s) added, 0 already there"), order
        (run,) = runs_json(capsys, lib)
        assert run["incomplete"] is False and run["distance_m"] == pytest.approx(5012.34)


def test_replacing_keeps_the_footwear_the_person_set(library) -> None:
    person = library.person()
    start = datetime(2021, 3, 14, 7, 30, tzinfo=UTC)
    cut = Run(start, 2500.0, 900.0, "run", "Morning", external_id="fit:1:2", incomplete=True)
    summary = save_runs(library, person, [cut])
    assert (summary.added, summary.incomplete) == (1, 1)
    (row,) = list_runs(library, person)
    update_run(library, person, row["id"], footwear_override=Footwear.BAREFOOT)
    whole = Run(start, 5000.0, 1800.0, "run", "Morning", external_id="fit:1:2")
    summary = save_runs(library, person, [whole])
    assert (summary.added, summary.replaced, summary.duplicates) == (0, 1, 0)
    (row,) = list_runs(library, person)
    assert row["distance_m"] == 5000.0 and row["incomplete"] is False
    assert (row["footwear"], row["footwear_source"]) == ("barefoot", "override")


def test_incomplete_copies_of_one_activity_are_kept_once(library) -> None:
    person = library.person()
    start = datetime(2021, 3, 14, 7, 30, tzinfo=UTC)
    first = Run(start, 2500.0, 900.0, "run", external_id="gpx:aaa", incomplete=True)
    second = Run(start, 3500.0, 1200.0, "run", external_id="gpx:bbb", incomplete=True)
    summary = save_runs(library, person, [first, second])
    assert (summary.added, summary.duplicates) == (1, 1)
    # Another type at the same second is another activity.
    ride = Run(start, 9000.0, 1200.0, "ride", external_id="gpx:ccc", incomplete=True)
    assert save_runs(library, person, [ride]).added == 1
    assert len(list_runs(library, person)) == 2


def test_a_complete_run_at_the_same_start_as_a_complete_one_is_still_added(library) -> None:
    # Start-and-type matching is only for incomplete copies: two hand-logged runs of one day
    # stay two runs.
    person = library.person()
    start = datetime(2024, 3, 1, tzinfo=UTC)
    runs = [Run(start, 5000.0, external_id=f"csv:{n}") for n in range(2)]
    assert save_runs(library, person, runs).added == 2
