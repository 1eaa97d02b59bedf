"""The PDF report opens, has its pages, and its text can be extracted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from footlog.cli import main
from footlog.demo import build_demo_library
from footlog.storage.library import Library


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory) -> Path:
    return build_demo_library(tmp_path_factory.mktemp("demo") / "library")


def test_report_has_its_pages_and_real_text(demo_library: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert main(["--library", str(demo_library), "report", "--out", str(out)]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) >= 4
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("Foot structure report", "Demo runner", "First and latest measures",
                  "Hallux angle", "Timeline", "Distance per year", "Then and now",
                  "Methods", "not radiographic", "6.9"):
        assert words in text, words
    assert reader.metadata.title.startswith("Foot structure report")
    # A clinician reads it without a glossary: no internal codes, MDC95 said in words where
    # the table first uses it, the sign of each measure explained, the overlay's key in text.
    first_page = reader.pages[0].extract_text()
    for code in ("own_few", "(own)", "(published)", "(none)"):
        assert code not in text, code
    assert "MDC95 (minimal detectable change)" in first_page
    assert "published figure" in first_page
    assert "Larger: positive" in text and "first photo, 2019-03-10" in text
    assert "The right big-toe angle" in text  # the plain lead, said to a reader
    assert "Photo ▸ Review Photos" not in text  # window instructions stay in the window
    assert not re.search(r"(?i)\byou(r|rs)?\b", text)  # said to a reader, not to the person


def test_report_period_and_errors(demo_library: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "late.pdf"
    assert main(["--library", str(demo_library), "report", "--out", str(out),
                 "--from", "2023-01-01"]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "1 January 2023" in text
    assert main(["--library", str(demo_library), "report", "--out", str(tmp_path / "r.txt")]) == 1
    assert "PDF" in capsys.readouterr().err
    assert not (tmp_path / "r.txt").exists()
    nowhere = tmp_path / "no such folder" / "r.pdf"
    assert main(["--library", str(demo_library), "report", "--out", str(nowhere)]) == 1
    assert "folder that exists" in capsys.readouterr().err


def test_report_from_a_day_after_every_photo(demo_library: Path, tmp_path: Path) -> None:
    out = tmp_path / "future.pdf"
    assert main(["--library", str(demo_library), "report", "--out", str(out),
                 "--from", "9999-12-31"]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "from 31 December 9999: no measured photos" in text


def test_report_of_an_empty_library(tmp_path: Path) -> None:
    from footlog.report import write_report

    with Library.open(tmp_path / "lib") as lib:
        out = write_report(lib, lib.person(), tmp_path / "empty.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "no measured photos yet" in text and "Methods" in text
