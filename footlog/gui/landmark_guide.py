"""A small picture of a foot seen from above, showing where a landmark lies.

Used while placing landmarks by hand: the person sees the landmark's name and a dot on a
schematic right foot (toes up), so they know what to click.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

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
_POSITIONS = {
    "hallux_tip": (26, 8),
    "toe2_tip": (50, 10),
    "toe3_tip": (62, 16),
    "toe4_tip": (74, 24),
    "toe5_tip": (83, 33),
    "cleft12": (38, 26),
    "mt1_medial": (16, 52),
    "hallux_medial": (14, 30),
    "midfoot_medial": (21, 110),
    "mt5_lateral": (85, 56),
    "toe5_lateral": (86, 40),
}


# Schematic left foot seen from its inner side, toes to the right, in a 160 x 100 box; the
# floor is the line y = 80.
_SIDE_OUTLINE = [(14, 62), (12, 48), (18, 30), (26, 10), (40, 4), (52, 8), (60, 22),
                 (76, 34), (100, 44), (124, 52), (140, 58), (150, 62), (154, 70), (148, 78),
                 (134, 80), (118, 80), (104, 76), (80, 70), (60, 70), (42, 76), (28, 80),
                 (18, 76)]
_SIDE_POSITIONS = {
    "heel_back": (12, 56), "toe_tip": (154, 70), "mtp1": (120, 80), "floor_heel": (30, 80),
    "floor_toe": (120, 80), "arch_apex": (70, 70), "dorsum_50": (84, 37),
}


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
        side = self.landmark in _SIDE_POSITIONS
        outline, positions = (_SIDE_OUTLINE, _SIDE_POSITIONS) if side else (_OUTLINE, _POSITIONS)
        width, height = (160, 100) if side else (100, 160)
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
        for name, (x, y) in positions.items():
            current = name == self.landmark
            painter.setPen(QPen(Qt.GlobalColor.black, 0.8))
            painter.setBrush(QBrush(QColor("#d50000") if current else QColor("#9e9e9e")))
            r = 4.5 if current else 2.0
            painter.drawEllipse(QPointF(x, y), r, r)
        painter.end()
