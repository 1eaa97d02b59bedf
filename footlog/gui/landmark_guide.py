"""A small picture of a foot showing where a landmark lies.

Used while placing landmarks by hand: the person sees the landmark's name and a dot on a
schematic foot, drawn as the view shows it (from above, from the inner side, or as a
footprint), so they know what to click.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from footlog.domain.views import LANDMARK_SPECS, View

# Schematic right foot, toes up, in a 100 x 160 box (medial side on the left).
_OUTLINE = [
    (30, 150),
    (22, 120),
    (20, 95),
    (18, 70),
    (16, 48),
    (14, 30),
    (16, 14),
    (26, 8),
    (34, 14),
    (38, 22),
    (42, 12),
    (50, 10),
    (55, 20),
    (58, 16),
    (64, 16),
    (67, 25),
    (71, 22),
    (76, 25),
    (78, 33),
    (82, 32),
    (86, 38),
    (86, 48),
    (84, 62),
    (80, 85),
    (72, 115),
    (62, 140),
    (52, 152),
]


# Schematic left foot seen from its inner side, toes to the right, in a 160 x 100 box; the
# floor is the line y = 80.
_SIDE_OUTLINE = [(14, 62), (12, 48), (18, 30), (26, 10), (40, 4), (52, 8), (60, 22),
                 (76, 34), (100, 44), (124, 52), (140, 58), (150, 62), (154, 70), (148, 78),
                 (134, 80), (118, 80), (104, 76), (80, 70), (60, 70), (42, 76), (28, 80),
                 (18, 76)]

# Schematic right footprint (sole on the paper, toes up, medial side on the left) in a
# 100 x 160 box: the toes are separate blots, the print has the medial notch of the arch.
_PRINT_OUTLINE = [(40, 150), (30, 142), (26, 128), (28, 112), (34, 98), (36, 84), (30, 70),
                  (22, 58), (18, 46), (20, 36), (30, 30), (44, 28), (58, 30), (70, 34),
                  (78, 42), (80, 56), (76, 74), (72, 94), (70, 116), (66, 136), (58, 148),
                  (48, 152)]
_PRINT_TOES = [(26, 16, 9), (44, 12, 5), (56, 14, 4.5), (66, 19, 4), (74, 25, 3.5)]


def _positions(view: View) -> dict[str, tuple[float, float]]:
    """Where each landmark of `view` sits on its schematic (footlog.domain.views)."""
    return {spec.key: spec.guide_at for spec in LANDMARK_SPECS if spec.view == view}


_POSITIONS = _positions(View.DORSAL)
_SIDE_POSITIONS = _positions(View.MEDIAL)
_PRINT_POSITIONS = _positions(View.PLANTAR)
_SIDE_VIEW = (_SIDE_OUTLINE, _SIDE_POSITIONS, (160, 100), ())
_TOP_VIEW = (_OUTLINE, _POSITIONS, (100, 160), ())
_PRINT_VIEW = (_PRINT_OUTLINE, _PRINT_POSITIONS, (100, 160), _PRINT_TOES)


def _view_of(landmark: str | None) -> tuple:
    """The schematic (outline, positions, box size, toe blots) that shows `landmark`."""
    if landmark in _SIDE_POSITIONS:
        return _SIDE_VIEW
    if landmark in _PRINT_POSITIONS or (landmark or "").startswith("print_"):
        return _PRINT_VIEW
    return _TOP_VIEW


class LandmarkGuide(QWidget):
    """Draws the schematic foot with `landmark` highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.landmark: str | None = None
        self.setMinimumSize(QSize(150, 170))

    def set_landmark(self, name: str | None) -> None:
        self.landmark = name
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(120, 190)

    def paintEvent(self, _event) -> None:
        outline, positions, (width, height), toes = _view_of(self.landmark)
        side = outline is _SIDE_OUTLINE
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(5, 5, -5, -5)
        k = min(box.width() / width, box.height() / height)
        painter.translate(box.center().x() - width / 2 * k, box.center().y() - height / 2 * k)
        painter.scale(k, k)
        if side:
            painter.setPen(QPen(QColor("#5d4037"), 1.0))
            painter.drawLine(QPointF(0, 80), QPointF(width, 80))  # the floor
        path = QPainterPath(QPointF(*outline[0]))
        for p in outline[1:]:
            path.lineTo(QPointF(*p))
        path.closeSubpath()
        painter.setPen(QPen(QColor("#8d6e63"), 1.2))
        painter.setBrush(QBrush(QColor("#ffe0c4")))
        painter.drawPath(path)
        for x, y, r in toes:
            painter.drawEllipse(QPointF(x, y), r, r * 1.3)
        for name, (x, y) in positions.items():
            current = name == self.landmark
            painter.setPen(QPen(Qt.GlobalColor.black, 0.8))
            painter.setBrush(QBrush(QColor("#d50000") if current else QColor("#9e9e9e")))
            r = 4.5 if current else 2.0
            painter.drawEllipse(QPointF(x, y), r, r)
        painter.end()
