"""CSV export: text that a spreadsheet would run as a formula is defused; numbers stay numbers,
and the files carry a byte-order mark so that Excel reads UTF-8."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from footlog.domain.runs import Run
from footlog.export_csv import export_csv, spreadsheet_safe
from footlog.storage.library import Library
from footlog.storage.photo_store import import_photo, update_photo
from footlog.storage.run_store import add_event, add_run

DANGEROUS_NAMES = [
    '=HYPERLINK("http://example.com/x","click")',
    "+1",
    "@SUM(A1:A9)",
    "-cmd|' /C calc'!A0",
    "\tTab-led",
    "\rCR-led",
]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(tmp_path: Path, photo_files: list[Path]) -> Path:
    with Library.open(tmp_path / "lib") as lib:
        person = lib.person()
        for i, name in enumerate(DANGEROUS_NAMES):
            start = datetime(2024, 5, 1 + i, 7, tzinfo=UTC)
            add_run(lib, person, Run(start=start, distance_m=5000 + i, name=name))
        add_event(lib, person, date(2024, 6, 1), "=1+1 °±− Łódź")
        photo_id = import_photo(lib, photo_files[0], person).photo_id
        assert photo_id is not None
        # West of Greenwich: a negative number in a numeric column.
        update_photo(lib, photo_id, utc_offset_min=-300, note="-3.2 is a note, so text")
        export_csv(lib, tmp_path / "out")
    return tmp_path / "out"


def test_formula_like_text_is_prefixed_with_an_apostrophe(exported: Path) -> None:
    runs = read_rows(exported / "runs.csv")
    assert [r["name"] for r in runs] == ["'" + name for name in DANGEROUS_NAMES]
    assert read_rows(exported / "events.csv")[0]["text"] == "'=1+1 °±− Łódź"


def test_numbers_are_not_prefixed(exported: Path) -> None:
    photo = read_rows(exported / "photos.csv")[0]
    assert photo["utc_offset_min"] == "-300"
    assert int(photo["utc_offset_min"]) == -300
    assert photo["note"] == "'-3.2 is a note, so text"
    runs = read_rows(exported / "runs.csv")
    assert [float(r["distance_m"]) for r in runs] == [5000 + i for i in range(6)]
    assert {r["counts_toward_mileage"] for r in runs} == {"True"}


def test_every_file_starts_with_a_byte_order_mark(exported: Path) -> None:
    files = sorted(exported.glob("*.csv"))
    # photos, measures, runs, events, sessions, statistics, landmarks, calibration
    assert len(files) == 8
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path.name
        assert not data[3:].startswith(b"\xef\xbb\xbf")  # one mark, not one per write
    text = (exported / "events.csv").read_bytes()[3:].decode("utf-8")
    assert text.startswith("id,person,date,foot,text")


def test_the_cell_rule_itself() -> None:
    assert spreadsheet_safe(-3.2) == -3.2
    assert spreadsheet_safe(-7) == -7
    assert spreadsheet_safe(None) is None
    assert spreadsheet_safe(True) is True
    assert spreadsheet_safe("-3.2") == "'-3.2"  # text that looks like a number is still text
    assert spreadsheet_safe("Barefoot run") == "Barefoot run"
    assert spreadsheet_safe("a=b") == "a=b"
    assert spreadsheet_safe("") == ""
    for name in DANGEROUS_NAMES:
        assert spreadsheet_safe(name) == "'" + name
