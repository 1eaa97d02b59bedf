"""footlog's printable calibration sheet: its layout (shared with the detector) and the PDF.

Page coordinates are millimetres from the page's top-left corner, x to the right, y down,
page in portrait.  Markers are ArUco DICT_4X4_50; a marker's `size_mm` is the side of its
black square (border included, 6 x 6 modules), its corners in ArUco order (top-left,
top-right, bottom-right, bottom-left of the marker image) are those of the square drawn upright
on the page.  A4 and US Letter sheets use different marker ids so the detector knows which
sheet it sees.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from footlog.domain.calibration import A4, LETTER, RectSize

MARKER_DICTIONARY = "DICT_4X4_50"
MARKER_SIZE_MM = 24.0
_MARGIN_MM = 18.0  # marker centre to the page's edge: 6 mm of white left outside the marker
_ROWS = 4  # markers per long side: a foot in the middle always leaves a column visible


@dataclass(frozen=True)
class SheetLayout:
    """Where everything is on one paper size (mm, page frame)."""

    paper: RectSize
    markers: dict[int, tuple[float, float, float]]  # id -> (centre x, centre y, side)
    heel_y_mm: float  # the heel line, across the page
    ruler_mm: tuple[float, float, float]  # (x start, y, length) of the 100 mm ruler

    def marker_corners_mm(self, marker_id: int) -> np.ndarray:
        """4 x 2 corners of a marker in ArUco order: TL, TR, BR, BL (mm)."""
        cx, cy, s = self.markers[marker_id]
        h = s / 2
        return np.array([[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h]])


def _layout(paper: RectSize, first_id: int) -> SheetLayout:
    w, h = paper.width_mm, paper.height_mm
    ys = np.linspace(_MARGIN_MM, h - _MARGIN_MM, _ROWS)
    markers: dict[int, tuple[float, float, float]] = {}
    marker_id = first_id
    for y in ys:  # left and right columns, top to bottom
        for x in (_MARGIN_MM, w - _MARGIN_MM):
            markers[marker_id] = (float(x), float(y), MARKER_SIZE_MM)
            marker_id += 1
    return SheetLayout(paper, markers, heel_y_mm=h - 24.0, ruler_mm=(w / 2 - 50.0, 10.0, 100.0))


LAYOUTS: dict[str, SheetLayout] = {"a4": _layout(A4, 0), "letter": _layout(LETTER, 10)}

INSTRUCTIONS = (
    "Print at 100 % / actual size; check the ruler: 100 mm",
    # The hallux angle is measured from the heel (docs/MEASURES.md): it must show.
    "Heel on the line; photograph from above the toes, whole sheet and heel in view",
    "Keep the sheet flat; the squares in the margins must stay visible",
)


def marker_bits(marker_id: int) -> np.ndarray:
    """6 x 6 array of the marker's modules (True = black), border included."""
    import cv2

    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, MARKER_DICTIONARY))
    img = cv2.aruco.generateImageMarker(dictionary, marker_id, 6, borderBits=1)
    return img < 128


def write_sheet(path: str | os.PathLike[str], paper: str = "a4") -> Path:
    """Write the one-page vector PDF calibration sheet for `paper` ("a4" or "letter")."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    layout = LAYOUTS[paper]
    pw, ph = layout.paper.width_mm, layout.paper.height_mm
    out = Path(path)
    c = canvas.Canvas(str(out), pagesize=(pw * mm, ph * mm))
    c.setTitle(f"footlog calibration sheet ({paper.upper() if paper == 'a4' else 'US Letter'})")

    def y_pdf(y: float) -> float:  # page mm (y down) -> PDF points (y up)
        return (ph - y) * mm

    # Markers: one filled rectangle per run of black modules, so they print as vectors.
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0, 0, 0)
    for marker_id, (cx, cy, size) in layout.markers.items():
        bits = marker_bits(marker_id)
        module = size / bits.shape[0]
        x0, y0 = cx - size / 2, cy - size / 2
        for r, row in enumerate(bits):
            col = 0
            while col < len(row):
                if not row[col]:
                    col += 1
                    continue
                end = col
                while end < len(row) and row[end]:
                    end += 1
                top = y0 + r * module
                c.rect(
                    (x0 + col * module) * mm,
                    y_pdf(top + module),
                    (end - col) * module * mm,
                    module * mm,
                    stroke=0,
                    fill=1,
                )
                col = end
        c.setFont("Helvetica", 6)
        c.drawCentredString(cx * mm, y_pdf(cy + size / 2 + 3.0), f"{marker_id}")

    _draw_ruler(c, layout, y_pdf)
    # Instructions, under the ruler, between the marker columns.
    c.setFont("Helvetica-Bold", 9)
    c.drawCentredString(pw / 2 * mm, y_pdf(30.0), "footlog calibration sheet")
    c.setFont("Helvetica", 7.5)
    for i, line in enumerate(INSTRUCTIONS):
        c.drawCentredString(pw / 2 * mm, y_pdf(35.5 + 4.2 * i), line)

    # Foot outline hint (light grey, dashed) and the heel line.
    c.setStrokeColorRGB(0.7, 0.7, 0.7)
    c.setDash(3, 3)
    c.setLineWidth(0.6)
    _draw_foot_hint(c, layout, y_pdf)
    c.setDash()
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(1.2)
    hy = layout.heel_y_mm
    c.line((pw / 2 - 45) * mm, y_pdf(hy), (pw / 2 + 45) * mm, y_pdf(hy))
    c.setFont("Helvetica", 7.5)
    c.drawCentredString(pw / 2 * mm, y_pdf(hy + 5.0), "heel line: the back of your heel here")
    c.showPage()
    c.save()
    return out


def _draw_ruler(c: Any, layout: SheetLayout, y_pdf: Callable[[float], float]) -> None:
    from reportlab.lib.units import mm

    x0, y, length = layout.ruler_mm
    c.setLineWidth(0.4)
    c.line(x0 * mm, y_pdf(y), (x0 + length) * mm, y_pdf(y))
    for i in range(int(length) + 1):
        tick = 4.0 if i % 10 == 0 else 2.5 if i % 5 == 0 else 1.5
        c.setLineWidth(0.25 if i % 10 else 0.4)
        c.line((x0 + i) * mm, y_pdf(y), (x0 + i) * mm, y_pdf(y + tick))
    c.setFont("Helvetica", 6)
    for i in (0, 50):
        c.drawCentredString((x0 + i) * mm, y_pdf(y + 7.0), f"{i}")
    c.drawCentredString((x0 + length) * mm, y_pdf(y + 7.0), "100 mm")


def _draw_foot_hint(c: Any, layout: SheetLayout, y_pdf: Callable[[float], float]) -> None:
    """A rough sole outline (about EU 42), heel on the heel line, as Bezier curves."""
    from reportlab.lib.units import mm

    cx = layout.paper.width_mm / 2
    heel = layout.heel_y_mm
    length = min(255.0, heel - 50.0)

    def pt(dx: float, dy: float) -> tuple[float, float]:  # dx across, dy from the heel up
        return (cx + dx) * mm, y_pdf(heel - dy)

    p = c.beginPath()
    p.moveTo(*pt(0, 0))
    p.curveTo(*pt(28, 0), *pt(32, 30), *pt(28, 70))  # heel to lateral midfoot
    p.curveTo(*pt(26, 110), *pt(48, 160), *pt(44, 190))  # to the fifth metatarsal head
    p.curveTo(*pt(42, 215), *pt(20, length - 10), *pt(-10, length))  # toes
    p.curveTo(*pt(-40, length), *pt(-50, 200), *pt(-46, 175))  # big toe to first MT head
    p.curveTo(*pt(-40, 130), *pt(-22, 90), *pt(-26, 50))  # medial arch
    p.curveTo(*pt(-30, 20), *pt(-22, 0), *pt(0, 0))  # back to the heel
    c.drawPath(p, stroke=1, fill=0)
