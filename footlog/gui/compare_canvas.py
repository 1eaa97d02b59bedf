"""The Compare tab's picture: the first photo, the second aligned over it (blend or curtain),
both outlines and landmarks; cropped to the two feet, with wheel zoom and drag to pan.

Coordinates: image px are pixels of the reduced first photo (and of the second, warped onto
it); widget px are the canvas's. `_transform()` maps one to the other.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QWidget

# Around the two feet, this fraction of their extent is kept on each side: the skin at the
# outline and a little floor show, the rest of the room does not.
CROP_MARGIN = 0.08
ZOOM_STEP = 1.25  # one wheel notch
MAX_ZOOM = 12.0  # times the cropped fit
PAN_BUTTONS = (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton)
LANDMARK_RADIUS_PX = 4.0  # widget px, whatever the zoom


def feet_box(shapes: list[np.ndarray], width: int, height: int) -> QRectF:
    """The rectangle (image px) around every point of `shapes` (outlines or landmarks),
    widened by CROP_MARGIN and kept inside the image; the whole image when none."""
    points = [s for s in shapes if len(s)]
    if not points:
        return QRectF(0, 0, width, height)
    allp = np.vstack(points)
    x0, y0 = allp.min(axis=0)
    x1, y1 = allp.max(axis=0)
    mx, my = CROP_MARGIN * (x1 - x0), CROP_MARGIN * (y1 - y0)
    x0, y0 = max(0.0, x0 - mx), max(0.0, y0 - my)
    x1, y1 = min(float(width), x1 + mx), min(float(height), y1 + my)
    if x1 - x0 < 1 or y1 - y0 < 1:
        return QRectF(0, 0, width, height)
    return QRectF(x0, y0, x1 - x0, y1 - y0)


class CompareCanvas(QWidget):
    """Paints the comparison. The wheel zooms about the pointer; dragging pans (in curtain
    mode, the left button moves the curtain and the right or middle button pans); a
    double click shows the two feet whole again."""

    curtain_moved = Signal(float)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first: QImage | None = None
        self.second: QImage | None = None
        self.outlines: list[tuple[np.ndarray, QColor]] = []
        self.points: list[tuple[np.ndarray, QColor]] = []  # landmarks, in image px
        self.opacity = 0.5
        self.curtain: float | None = None  # a fraction of the crop's width
        self.show_outlines = True
        self.crop = QRectF()
        self.zoom = 1.0  # times the crop fitted to the widget
        self.pan = QPointF(0, 0)  # widget px
        self._pan_from: QPointF | None = None
        self.setMinimumSize(400, 300)
        self.setToolTip("Wheel: zoom · drag: move the picture (in curtain mode, drag with "
                        "the right button) · double-click: both feet whole")

    def set_images(
        self,
        first: QImage,
        second: QImage,
        outlines: list[tuple[np.ndarray, QColor]],
        points: list[tuple[np.ndarray, QColor]] | None = None,
    ) -> None:
        self.first, self.second, self.outlines = first, second, outlines
        self.points = points or []
        shapes = [p for p, _ in outlines] or [p for p, _ in self.points]
        self.crop = feet_box(shapes, first.width(), first.height())
        self.reset_view()

    def clear(self) -> None:
        self.first = self.second = None
        self.outlines = []
        self.points = []
        self.update()

    # -- geometry ------------------------------------------------------------------------

    def reset_view(self) -> None:
        self.zoom, self.pan = 1.0, QPointF(0, 0)
        self.zoom_changed.emit(self.zoom)
        self.update()

    def _scale(self) -> float:
        fit = min(self.width() / max(1.0, self.crop.width()),
                  self.height() / max(1.0, self.crop.height()))
        return fit * self.zoom

    def _transform(self) -> QTransform:
        """Image px to widget px: the crop's centre at the widget's centre, moved by pan."""
        s = self._scale()
        centre = self.crop.center()
        t = QTransform()
        t.translate(self.width() / 2 + self.pan.x(), self.height() / 2 + self.pan.y())
        t.scale(s, s)
        t.translate(-centre.x(), -centre.y())
        return t

    def _target(self) -> QRectF:
        """Where the crop (the two feet) is drawn, in widget px."""
        return self._transform().mapRect(self.crop)

    def zoom_at(self, factor: float, at: QPointF) -> None:
        """Zoom by `factor` keeping the image point under `at` (widget px) in place."""
        new = min(MAX_ZOOM, max(1.0, self.zoom * factor))
        if new == self.zoom:
            return
        before = self._transform().inverted()[0].map(at)
        self.zoom = new
        after = self._transform().map(before)
        self.pan += at - after
        self.zoom_changed.emit(self.zoom)
        self.update()

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(40, 40, 40))
        if self.first is None or self.second is None:
            painter.setPen(QColor("white"))
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "Choose two photos of the same foot and view to compare.",
            )
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self._transform())
        painter.drawImage(QPointF(0, 0), self.first)
        if self.curtain is None:
            painter.setOpacity(self.opacity)
            painter.drawImage(QPointF(0, 0), self.second)
            painter.setOpacity(1.0)
        else:
            cut = self.crop.left() + self.curtain * self.crop.width()
            painter.save()
            painter.setClipRect(QRectF(cut, 0, self.second.width() - cut, self.second.height()))
            painter.drawImage(QPointF(0, 0), self.second)
            painter.restore()
            pen = QPen(QColor("white"), 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLine(QPointF(cut, 0), QPointF(cut, self.first.height()))
        if self.show_outlines:
            self._paint_shapes(painter)

    def _paint_shapes(self, painter: QPainter) -> None:
        for points, colour in self.outlines:
            path = QPainterPath()
            for i, (x, y) in enumerate(points):
                path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
            path.closeSubpath()
            pen = QPen(colour, 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(path)
        radius = LANDMARK_RADIUS_PX / max(self._scale(), 1e-6)  # the same size at any zoom
        for points, colour in self.points:
            pen = QPen(colour, 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            for x, y in points:
                painter.drawEllipse(QPointF(x, y), radius, radius)

    # -- the mouse -----------------------------------------------------------------------

    def _drag_curtain(self, x: float) -> None:
        target = self._target()
        self.curtain = min(1.0, max(0.0, (x - target.left()) / max(1.0, target.width())))
        self.curtain_moved.emit(self.curtain)
        self.update()

    def _pans(self, button) -> bool:
        return button in PAN_BUTTONS or self.curtain is None

    def mousePressEvent(self, event) -> None:
        if self.first is None:
            return
        if self._pans(event.button()):
            self._pan_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif event.button() == Qt.MouseButton.LeftButton:
            self._drag_curtain(event.position().x())

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            self.pan += event.position() - self._pan_from
            self._pan_from = event.position()
            self.update()
        elif event.buttons() & Qt.MouseButton.LeftButton and self.curtain is not None:
            self._drag_curtain(event.position().x())

    def mouseReleaseEvent(self, _event) -> None:
        self._pan_from = None
        self.unsetCursor()

    def mouseDoubleClickEvent(self, _event) -> None:
        self.reset_view()

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps and self.first is not None:
            self.zoom_at(math.pow(ZOOM_STEP, steps), event.position())
            event.accept()
