"""The printable calibration sheet: one vector page, real text, the right size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from footlog.imaging.calibration_sheet import LAYOUTS, marker_bits, write_sheet

PT_PER_MM = 72 / 25.4


@pytest.mark.parametrize(("paper", "size_mm"), [("a4", (210, 297)), ("letter", (215.9, 279.4))])
def test_sheet_is_one_page_of_the_right_size_with_text(
    tmp_path: Path, paper: str, size_mm: tuple[float, float]
) -> None:
    path = write_sheet(tmp_path / f"{paper}.pdf", paper)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(size_mm[0] * PT_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(size_mm[1] * PT_PER_MM, abs=0.5)
    text = reader.pages[0].extract_text()
    assert "100 mm" in text
    assert "actual size" in text
    assert "heel" in text.lower()
    # Vector, not bitmaps: the page has no image XObjects.
    assert not list(reader.pages[0].images)


def test_layouts_fit_the_page_and_use_distinct_ids() -> None:
    a4, letter = LAYOUTS["a4"], LAYOUTS["letter"]
    assert not set(a4.markers) & set(letter.markers)
    for layout in (a4, letter):
        for marker_id in layout.markers:
            c = layout.marker_corners_mm(marker_id)
            assert (c >= 3).all()
            assert (c[:, 0] <= layout.paper.width_mm - 3).all()
            assert (c[:, 1] <= layout.paper.height_mm - 3).all()
        # A foot (about 110 mm wide) in the middle leaves both marker columns uncovered.
        xs = np.array([m[0] for m in layout.markers.values()])
        half = 12
        assert (np.abs(xs - layout.paper.width_mm / 2) - half > 55).all()


def test_marker_bits_have_a_black_border() -> None:
    bits = marker_bits(3)
    assert bits.shape == (6, 6)
    assert bits[0].all() and bits[-1].all() and bits[:, 0].all() and bits[:, -1].all()
