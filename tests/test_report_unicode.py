"""The PDF report prints names and notes in any script: an embedded TrueType font, a
fallback font for what it lacks, and a visible replacement when no font here has a glyph."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from footlog.report import write_report
from footlog.report_fonts import REPLACEMENT, report_fonts
from footlog.storage.library import Library
from footlog.storage.run_store import add_event

# U+210A SCRIPT SMALL G: not in DejaVu Sans, but in STIX, which matplotlib ships too.
NOT_IN_DEJAVU = "\u210a"
# A private-use code point of plane 16: no font draws it (Last Resort aside, which is skipped).
NO_FONT_HAS_IT = "\U0010fffd"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> PdfReader:
    root = tmp_path_factory.mktemp("unicode")
    with Library.open(root / "lib") as lib:
        person = lib.add_person("Łódź 王 & <Søren>")
        add_event(lib, person, date(2024, 6, 1), "Heel −2 °C ± 1 after the ice bath")
        add_event(lib, person, date(2024, 6, 2), f"Curve {NOT_IN_DEJAVU} and {NO_FONT_HAS_IT}")
        out = write_report(lib, person, root / "report.pdf")
    return PdfReader(out)


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader: PdfReader) -> list[dict]:
    seen = {}
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            seen[font["/BaseFont"]] = font
    return list(seen.values())


def test_latin_extended_names_and_symbols_are_real_text(report: PdfReader) -> None:
    text = text_of(report)
    assert "Łódź" in text and "Søren" in text and "& <Søren>" in text
    assert "Heel −2 °C ± 1 after the ice bath" in text
    # 王 is drawn by a CJK font when this system has one reportlab can embed, else shown
    # as the replacement character; never as an empty box that looks like text.
    line = next(line for line in text.splitlines() if "Łódź" in line)
    assert "王" in line or REPLACEMENT in line
    assert report.metadata.title == "Foot structure report — Łódź 王 & <Søren>"


def test_every_font_is_an_embedded_truetype_dejavu_first(report: PdfReader) -> None:
    fonts = fonts_of(report)
    names = [str(f["/BaseFont"]) for f in fonts]
    assert any(name.endswith("+DejaVuSans") for name in names), names
    assert any(name.endswith("+DejaVuSans-Bold") for name in names), names
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]  # no Helvetica (Type 1)
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_a_character_dejavu_lacks_uses_a_fallback_font(report: PdfReader) -> None:
    names = [str(f["/BaseFont"]) for f in fonts_of(report)]
    assert any("DejaVuSans" not in name.split("+")[-1] for name in names), names
    line = next(line for line in text_of(report).splitlines() if "Curve" in line)
    assert NOT_IN_DEJAVU in line
    assert line.endswith(f"and {REPLACEMENT}")


def test_markup_escapes_and_marks_what_it_cannot_draw() -> None:
    fonts = report_fonts()
    assert ord("Ł") in fonts.covered and ord("−") in fonts.covered
    assert ord("王") not in fonts.covered
    assert fonts.markup("A & <b>") == "A &amp; &lt;b&gt;"
    assert fonts.markup(f"x{NO_FONT_HAS_IT}{NO_FONT_HAS_IT}y") == f"x{REPLACEMENT * 2}y"
    assert fonts.markup(f"a{NOT_IN_DEJAVU}b").startswith('a<font face="FootlogFallback')
    assert fonts.markup("zero\u200bwidth\x07") == "zerowidth"
