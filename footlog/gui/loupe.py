"""The loupe: the photo magnified around the selected landmark, with a cross at it.

At the editor's zoom a landmark's disc hides the pixels it sits on; the loupe shows them
(at the full resolution the editor holds) so that a nudge by a fraction of a pixel can be
judged.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

SPAN_PX = 48.0  # full-resolution photo px shown across the loupe
SIDE = 136  # screen px; small enough that the landmark list beside it keeps its words


class Loupe(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(SIDE, SIDE)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.pixmap: QPixmap | None = None
        self.scale = 1.0  # full-resolution px per pixmap px
        self.point: tuple[float, float] | None = None
        self.name = ""
        self.setToolTip("The photo around the selected landmark, magnified; arrow keys nudge "
                        "it (Shift: ten times as far), Tab goes to the next landmark")

    def set_source(self, pixmap: QPixmap | None, scale: float) -> None:
        self.pixmap, self.scale = pixmap, scale
        self.update()

    def show_point(self, name: str, x: float, y: float) -> None:
        self.name, self.point = name, (x, y)
        self.update()

    def clear(self) -> None:
        self.point = None
        self.update()

    def source_rect(self) -> QRectF | None:
        """The part of the pixmap shown (pixmap px), or None."""
        if self.pixmap is None or self.pixmap.isNull() or self.point is None:
            return None
        x, y = self.point
        half = SPAN_PX / 2
        return QRectF((x - half) / self.scale, (y - half) / self.scale,
                      SPAN_PX / self.scale, SPAN_PX / self.scale)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 30, 30))
        source = self.source_rect()
        if source is None or self.pixmap is None:  # source_rect is None without a pixmap
            painter.setPen(QColor("white"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Select a landmark")
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawPixmap(QRectF(self.rect()), self.pixmap, source)
        c = QPointF(self.width() / 2, self.height() / 2)
        painter.setPen(QPen(QColor(255, 64, 129), 1))
        painter.drawLine(QPointF(c.x() - 12, c.y()), QPointF(c.x() - 3, c.y()))
        painter.drawLine(QPointF(c.x() + 3, c.y()), QPointF(c.x() + 12, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - 12), QPointF(c.x(), c.y() - 3))
        painter.drawLine(QPointF(c.x(), c.y() + 3), QPointF(c.x(), c.y() + 12))
        painter.setPen(QColor("white"))
        painter.drawText(4, self.height() - 6, self.name)
