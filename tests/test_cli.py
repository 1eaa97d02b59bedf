"""The command line, driven as a person or a script would."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from footlog.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_list_photos_as_json(tmp_path: Path, capsys, photo_files) -> None:
    lib = str(tmp_path / "lib")
    code, out, _ = run(
        capsys, "--library", lib, "import", "--no-measure", str(photo_files[0].parent)
    )
    assert code == 0
    assert "3 photo(s) added" in out
    code, out, _ = run(capsys, "--library", lib, "photos", "--json")
    photos = json.loads(out)
    assert code == 0 and len(photos) == 3
    for key in (
        "id",
        "sha256",
        "person",
        "taken_at",
        "taken_at_source",
        "foot",
        "view",
        "status",
        "measures",
    ):
        assert key in photos[0]
    by_name = {p["original_name"]: p for p in photos}
    dated = by_name["IMG_20110512_154233.jpg"]
    assert dated["taken_at"].startswith("2011-05-12T15:42:33")
    assert dated["taken_at_source"] == "filename"
    assert by_name["left_2015-03-01.jpg"]["foot"] == "left"
    assert by_name["right.png"]["foot"] == "right"


def test_importing_the_same_bytes_twice_adds_nothing(tmp_path: Path, capsys, photo_files) -> None:
    lib = str(tmp_path / "lib")
    run(capsys, "--library", lib, "import", "--no-measure", str(photo_files[0]))
    code, out, _ = run(
        capsys, "--library", lib, "import", "--no-measure", "--json", str(photo_files[0])
    )
    assert code == 0
    assert json.loads(out)[0]["result"] == "duplicate"


def test_a_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path, capsys, photo_files) -> None:
    folder = photo_files[0].parent
    (folder / "broken.jpg").write_bytes(photo_files[0].read_bytes()[:300])
    (folder / "notes.jpg").write_text("not a photo at all")
    lib = str(tmp_path / "lib")
    code, out, err = run(capsys, "--library", lib, "import", "--no-measure", str(folder))
    assert code == 1
    assert "3 photo(s) added" in out and "2 not imported" in out
    assert "broken.jpg" in err and "notes.jpg" in err
    # One line per file, each saying it comes from footlog (as a script reading stderr sees).
    assert [line.split(": ")[0] for line in err.splitlines()] == ["footlog", "footlog"]


def test_runs_import_problems_are_errors_only_when_nothing_was_imported(
    tmp_path: Path, capsys
) -> None:
    lib = str(tmp_path / "lib")
    good = tmp_path / "log.csv"
    good.write_text("date,distance_km\n2024-03-01,5\n")
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx")
    code, _, err = run(capsys, "--library", lib, "runs", "import", str(bad))
    assert code == 1 and err.startswith(f"footlog: {bad}: ") and len(err.splitlines()) == 1
    code, _, err = run(capsys, "--library", lib, "runs", "import", str(good), str(bad))
    assert code == 0 and err.startswith(f"footlog: warning: {bad}: ")


def test_usage_mistakes_are_one_line(capsys) -> None:
    for argv, says in (
        (["compare", "first", "2", "--out", "o.png"], "argument PHOTO_ID: not a photo id"),
        (["delete-photo", "99999999999999999999"], "no photo has the id 99999999999999999999"),
        (["compare", "1", "2", "--out", "o.png", "--opacity", "nan"], "not between 0 and 1"),
        (["compare", "1", "2", "--out", "o.png", "--curtain", "1.5"], "not between 0 and 1"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        err = capsys.readouterr().err
        assert stopped.value.code == 2
        assert len(err.splitlines()) == 1 and err.startswith("footlog: ") and says in err, err


def test_library_warnings_are_said_only_when_the_command_succeeds(monkeypatch, capsys) -> None:
    import logging

    import footlog.cli as cli
    import footlog.commands.outputs as outputs

    def noisy(status: int) -> int:
        logging.getLogger("matplotlib.font_manager").warning("Could not save\n cache [Errno 28]")
        return status

    for status, said in ((0, ["footlog: warning: Could not save cache [Errno 28]"]), (1, [])):
        monkeypatch.setattr(outputs, "cmd_sheet", lambda _args, s=status: noisy(s))
        assert cli.main(["sheet", "--out", "x.pdf"]) == status
        assert capsys.readouterr().err.splitlines() == said


def test_json_keeps_names_that_are_not_utf8(tmp_path: Path, capsys, photo_files) -> None:
    import os

    odd = photo_files[0].with_name(os.fsdecode(b"caf\xe9.jpg"))
    odd.write_bytes(photo_files[0].read_bytes())
    code, out, _ = run(
        capsys, "--library", str(tmp_path / "lib"), "import", "--no-measure", "--json", str(odd)
    )
    assert code == 0 and "\\udce9" in out
    assert os.fsencode(json.loads(out)[0]["path"]) == os.fsencode(odd)


def test_printed_names_escape_bytes_that_are_not_utf8() -> None:
    from footlog.commands.common import printable

    assert printable("caf\udce9 \x1b[2J.jpg") == "caf\\udce9 \\x1b[2J.jpg"


def test_import_of_a_missing_file_says_so(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "import", "/no/such/photo.jpg")
    assert code == 1
    assert "no such file" in err


def test_runs_add_and_list(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    code, out, _ = run(
        capsys,
        "--library",
        lib,
        "runs",
        "add",
        "--date",
        "2024-05-01T07:30",
        "--distance",
        "5.2km",
        "--duration",
        "30:00",
        "--footwear",
        "barefoot",
    )
    assert code == 0, out
    run(
        capsys,
        "--library",
        lib,
        "runs",
        "add",
        "--date",
        "2024-05-02",
        "--distance",
        "3mi",
        "--type",
        "ride",
    )
    code, out, _ = run(capsys, "--library", lib, "runs", "--json")
    runs = json.loads(out)
    assert [r["distance_m"] for r in runs] == [pytest.approx(5200), pytest.approx(4828.032)]
    assert runs[0]["footwear"] == "barefoot" and runs[0]["footwear_source"] == "override"
    assert runs[0]["duration_s"] == 1800
    assert runs[0]["counts_toward_mileage"] is True
    assert runs[1]["counts_toward_mileage"] is False
    for key in ("id", "person", "start", "activity_type", "gear"):
        assert key in runs[0]


def test_runs_add_rejects_nonsense(tmp_path: Path, capsys) -> None:
    code, _, err = run(
        capsys,
        "--library",
        str(tmp_path / "lib"),
        "runs",
        "add",
        "--date",
        "yesterday",
        "--distance",
        "5km",
    )
    assert code == 1 and "not a date" in err
    code, _, err = run(
        capsys,
        "--library",
        str(tmp_path / "lib"),
        "runs",
        "add",
        "--date",
        "2024-01-01",
        "--distance",
        "five",
    )
    assert code == 1 and "not a distance" in err


def test_gear_mapping_reclassifies_runs(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    run(
        capsys,
        "--library",
        lib,
        "runs",
        "add",
        "--date",
        "2024-05-01",
        "--distance",
        "5",
        "--gear",
        "Vivo Primus",
    )
    code, out, _ = run(capsys, "--library", lib, "gear", "Vivo Primus", "minimal")
    assert code == 0 and "1 run(s) reclassified" in out
    _, out, _ = run(capsys, "--library", lib, "runs", "--json")
    assert json.loads(out)[0]["footwear"] == "minimal"
    assert json.loads(out)[0]["footwear_source"] == "gear"


def test_several_people_need_person(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    run(capsys, "--library", lib, "people", "--add", "Ana")
    run(capsys, "--library", lib, "people", "--add", "Ben")
    code, _, err = run(
        capsys, "--library", lib, "runs", "add", "--date", "2024-01-01", "--distance", "5"
    )
    assert code == 1 and "--person" in err
    code, _, _ = run(
        capsys,
        "--library",
        lib,
        "--person",
        "Ben",
        "runs",
        "add",
        "--date",
        "2024-01-01",
        "--distance",
        "5",
    )
    assert code == 0
    _, out, _ = run(capsys, "--library", lib, "runs", "--json")
    assert [r["person"] for r in json.loads(out)] == ["Ben"]


def test_events_and_export_csv(tmp_path: Path, capsys, photo_files) -> None:
    lib = str(tmp_path / "lib")
    run(capsys, "--library", lib, "import", "--no-measure", str(photo_files[0]))
    run(capsys, "--library", lib, "runs", "add", "--date", "2024-05-01", "--distance", "10")
    code, _, _ = run(
        capsys, "--library", lib, "events", "--date", "2024-06-01", "started", "toe", "spacers"
    )
    assert code == 0
    code, _out, _ = run(capsys, "--library", lib, "export", "csv", str(tmp_path / "out"))
    assert code == 0
    with open(tmp_path / "out" / "runs.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert float(rows[0]["distance_m"]) == 10000
    with open(tmp_path / "out" / "events.csv", newline="", encoding="utf-8-sig") as handle:
        assert next(iter(csv.DictReader(handle)))["text"] == "started toe spacers"
    with open(tmp_path / "out" / "photos.csv", newline="", encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 1


def test_check_reports_a_changed_photo(tmp_path: Path, capsys, photo_files) -> None:
    lib = tmp_path / "lib"
    run(capsys, "--library", str(lib), "import", "--no-measure", str(photo_files[0]))
    assert run(capsys, "--library", str(lib), "check")[0] == 0
    stored = next(p for p in (lib / "photos").iterdir() if p.suffix == ".jpg")
    stored.write_bytes(stored.read_bytes() + b"tampered")
    code, out, _ = run(capsys, "--library", str(lib), "check")
    assert code == 1 and "has changed" in out


def test_measuring_one_photo_imports_neither_sqlite_utils_nor_scipy(photo_files) -> None:
    """`footlog measure PHOTO` opens no library and needs no SciPy: their imports would be
    a third of its cold start."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom footlog.cli import main\n"
        f"status = main(['measure', {str(photo_files[0])!r}])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlite_utils', 'scipy', 'matplotlib', 'PySide6'})\n"
        "print('HEAVY', heavy)\nsys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
