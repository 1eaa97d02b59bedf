"""The photo with its landmarks: zoom, pan, drag a landmark, click to place one.

Scene coordinates are full-resolution pixels of the upright photo, the same coordinates
the library stores, so nothing is converted between what is drawn and what is saved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from footlog.domain.views import landmark_words, measure_arcs, measure_lines
from footlog.gui.label_layout import place_labels, short_words

AUTO_COLOUR = QColor("#ffb300")
GHOST_COLOUR = QColor(255, 255, 255, 150)  # the template photo's landmarks, for comparison
NUDGE_SCREEN_PX = 1.0  # an arrow key moves the selected landmark one screen pixel
NUDGE_FAST = 10.0  # ... and ten with Shift
MANUAL_COLOUR = QColor("#00b0ff")
LINE_COLOUR = QColor(255, 64, 129, 230)  # magenta: visible on skin, paper and floors
RADIUS = 7.0  # screen px: landmarks keep their size whatever the zoom

# The lines and angle arcs that define the measures (footlog.domain.views.MEASURE_SPECS),
# drawn between landmarks wherever both ends are on the photo.
MEASURE_LINES: tuple[tuple[str, str], ...] = measure_lines()
MEASURE_ARCS: tuple[tuple[str, str, str], ...] = measure_arcs()
ARC_COLOUR = QColor(255, 214, 0, 240)  # yellow: the angle as it is read


class LandmarkItem(QGraphicsEllipseItem):
    """One draggable landmark with its name in plain words beside it (where the canvas
    finds room: `PhotoCanvas.layout_labels`); its tooltip gives the full words and the id."""

    def __init__(self, canvas: PhotoCanvas, name: str, manual: bool) -> None:
        super().__init__(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
        self.canvas, self.name = canvas, name
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(10)
        self.setAcceptHoverEvents(True)
        self.words = landmark_words(name)
        # A dark plate behind the name keeps it readable on skin, paper and floor alike.
        self.plate = QGraphicsRectItem(self)
        self.plate.setBrush(QBrush(QColor(0, 0, 0, 150)))
        self.plate.setPen(QPen(Qt.PenStyle.NoPen))
        self.label = QGraphicsSimpleTextItem(short_words(self.words), self.plate)
        self.label.setBrush(QBrush(QColor("white")))
        text = self.label.boundingRect()
        self.plate.setRect(0, 0, text.width() + 6, text.height() + 2)
        self.label.setPos(3, 1)
        self.plate.setPos(RADIUS + 3, -text.height() / 2 - 1)
        self.crowded = False
        self._press: QPointF | None = None
        self.set_manual(manual)

    def set_manual(self, manual: bool) -> None:
        colour = MANUAL_COLOUR if manual else AUTO_COLOUR
        self.setPen(QPen(QColor("black"), 1.5))
        self.setBrush(QBrush(colour))
        self.setToolTip(f"{self.words}: {'placed by you' if manual else 'found by footlog'}"
                        f"\nid: {self.name}")

    def show_label_at(self, offset: QPointF | None) -> None:
        """Put the name at `offset` (screen px from the handle's centre); None hides it
        (no room at this zoom: hovering or selecting the handle shows it)."""
        self.crowded = offset is None
        self.plate.setVisible(offset is not None)
        if offset is not None:
            self.plate.setPos(offset)

    def hoverEnterEvent(self, event) -> None:
        if getattr(self, "crowded", False):  # a crowded name shows while hovered, on top
            self.plate.setVisible(True)
            self.setZValue(12)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        if getattr(self, "crowded", False):
            self.plate.setVisible(False)
            self.setZValue(10)
        super().hoverLeaveEvent(event)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.canvas.item_moved(self)
        return super().itemChange(change, value)

    def mousePressEvent(self, event) -> None:
        self._press = self.pos()
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if self._press is not None and self.pos() != self._press:
            self.canvas.landmark_dropped.emit(self.name, self.pos().x(), self.pos().y())
        self._press = None


class PhotoCanvas(QGraphicsView):
    """Shows a photo; emits what the person does with its landmarks."""

    landmark_moving = Signal(str, float, float)  # name, x, y (px) while dragging
    landmark_dropped = Signal(str, float, float)  # one finished drag: one undo step
    photo_clicked = Signal(float, float)  # for placing landmarks by clicking
    split_drawn = Signal(float, float, float, float)  # a line dragged across: x0, y0, x1, y1
    zoom_changed = Signal(float)
    landmark_nudged = Signal(str, float, float)  # an arrow key moved a landmark to x, y
    landmark_chosen = Signal(str)  # the selected landmark changed (Tab, click)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QBrush(QColor(40, 40, 40)))
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.pixmap_item)
        self.items_by_name: dict[str, LandmarkItem] = {}
        self.lines: list[QGraphicsItem] = []
        self.outline_item = QGraphicsPathItem()
        self.outline_item.setPen(QPen(QColor(0, 230, 118, 160), 0))
        self.scene().addItem(self.outline_item)
        self.full_size = (0, 0)
        self.placing = False  # clicks place a landmark instead of panning
        self.splitting = False  # a drag draws the line between two feet instead of panning
        self._split_line: QGraphicsLineItem | None = None
        self._fitted = True
        self.ghosts: list[QGraphicsItem] = []
        self.tab_order: list[str] = []  # landmark names in Tab order (doubtful first)
        self.scene().selectionChanged.connect(self._selection_changed)

    # -- content -----------------------------------------------------------------------

    def set_image(self, image: QImage, full_width: int, full_height: int) -> None:
        """Show `image`, scaled so that it covers the full-resolution photo's pixels."""
        self.full_size = (full_width, full_height)
        self.pixmap_item.setPixmap(QPixmap.fromImage(image))
        self.pixmap_item.setScale(full_width / max(1, image.width()))
        self.scene().setSceneRect(QRectF(0, 0, full_width, full_height))
        if self._fitted:
            self.fit()

    def set_landmarks(self, landmarks: Mapping[str, tuple[float, float, bool]]) -> None:
        """name -> (x, y, manual). Rebuilds the items; the selected landmark stays
        selected (nudging it with the keys goes on after each stored step)."""
        selected = self.selected_name()
        for item in self.items_by_name.values():
            self.scene().removeItem(item)
        self.items_by_name = {}
        for name, (x, y, manual) in landmarks.items():
            item = LandmarkItem(self, name, manual)
            item.setPos(x, y)
            self.scene().addItem(item)
            self.items_by_name[name] = item
        self.update_lines()
        if selected in self.items_by_name:
            self.items_by_name[selected].setSelected(True)

    def set_ghosts(self, landmarks: Mapping[str, tuple[float, float]]) -> None:
        """Faint, fixed markers: another photo's landmarks carried onto this one."""
        for item in self.ghosts:
            self.scene().removeItem(item)
        self.ghosts = []
        pen = QPen(GHOST_COLOUR, 1.5)
        pen.setCosmetic(True)
        for name, (x, y) in landmarks.items():
            ring = QGraphicsEllipseItem(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
            ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            ring.setPen(pen)
            ring.setPos(x, y)
            ring.setZValue(8)
            ring.setToolTip(f"{landmark_words(name)} on the confirmed photo\nid: {name}")
            self.scene().addItem(ring)
            self.ghosts.append(ring)

    def selected_name(self) -> str | None:
        chosen = [n for n, i in self.items_by_name.items() if i.isSelected()]
        return chosen[0] if len(chosen) == 1 else None

    def select_landmark(self, name: str) -> None:
        item = self.items_by_name.get(name)
        if item is None:
            return
        self.scene().clearSelection()
        item.setSelected(True)
        self.ensureVisible(item)

    def layout_labels(self) -> None:
        """Place the names so that none covers another or a handle at the current zoom
        (label_layout); the selected landmark's name is placed first."""
        items = self.items_by_name
        if not items:
            return
        k = self.zoom()
        anchors = {n: QPointF(i.pos().x() * k, i.pos().y() * k) for n, i in items.items()}
        sizes = {n: i.plate.rect().size() for n, i in items.items()}
        selected = self.selected_name()
        order = ([selected] if selected else []) + [n for n in items if n != selected]
        bounds = QRectF(0, 0, self.full_size[0] * k, self.full_size[1] * k)
        places = place_labels(anchors, sizes, RADIUS, order, bounds, always=selected)
        for name, offset in places.items():
            items[name].show_label_at(offset)

    def _selection_changed(self) -> None:
        self.layout_labels()
        name = self.selected_name()
        if name is not None:
            self.landmark_chosen.emit(name)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab step through the landmarks (doubtful ones first)."""
        order = [n for n in self.tab_order if n in self.items_by_name] or sorted(
            self.items_by_name)
        if not order:
            return super().focusNextPrevChild(forward)
        current = self.selected_name()
        i = order.index(current) if current in order else -1
        self.select_landmark(order[(i + (1 if forward else -1)) % len(order)])
        return True

    def keyPressEvent(self, event) -> None:
        """Arrow keys nudge the selected landmark by a screen pixel (a fraction of a photo
        pixel when zoomed in; ten with Shift)."""
        moves = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                 Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        name = self.selected_name()
        if event.key() in moves and name is not None:
            step = NUDGE_SCREEN_PX / max(self.zoom(), 1e-6)
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                step *= NUDGE_FAST
            dx, dy = moves[event.key()]
            item = self.items_by_name[name]
            item.setPos(item.pos().x() + dx * step, item.pos().y() + dy * step)
            self.landmark_nudged.emit(name, item.pos().x(), item.pos().y())
            return
        super().keyPressEvent(event)

    def set_outline(self, points: list[tuple[float, float]] | None) -> None:
        path = QPainterPath()
        if points:
            path.moveTo(*points[0])
            for p in points[1:]:
                path.lineTo(*p)
            path.closeSubpath()
        self.outline_item.setPath(path)

    def positions(self) -> dict[str, tuple[float, float]]:
        return {n: (i.pos().x(), i.pos().y()) for n, i in self.items_by_name.items()}

    def item_moved(self, item: LandmarkItem) -> None:
        self.update_lines()
        self.landmark_moving.emit(item.name, item.pos().x(), item.pos().y())

    def update_lines(self) -> None:
        for line in self.lines:
            self.scene().removeItem(line)
        self.lines = []
        pos = self.positions()
        pen = QPen(LINE_COLOUR, 2)
        pen.setCosmetic(True)
        for arc in MEASURE_ARCS:
            self._angle_arc(pos, arc, pen)
        for a, b in MEASURE_LINES:
            if a in pos and b in pos:
                segment = QLineF(QPointF(*pos[a]), QPointF(*pos[b]))
                # Extend beyond the second point: the angle is read between the extensions.
                extended = QLineF(segment.p1(), segment.pointAt(1.35))
                item = self.scene().addLine(extended, pen)
                item.setZValue(5)
                self.lines.append(item)
        self.layout_labels()

    def _angle_arc(self, pos: dict[str, tuple[float, float]], arc: tuple[str, str, str],
                   pen: QPen) -> None:
        """The arc at the vertex of `arc` (a, vertex, b) from the line a -> vertex extended
        to the line vertex -> b: an angle as it is read (the hallux angle at mt1_medial)."""
        if not set(arc) <= pos.keys():
            return
        far, vertex, near = (QPointF(*pos[n]) for n in arc)
        toward = QLineF(vertex, near)
        radius = 0.6 * toward.length()
        if radius < 1:
            return
        # Zero of the angle: the first line extended beyond the vertex (Qt: degrees, ccw).
        start = QLineF(vertex, vertex + (vertex - far)).angle()
        span = ((toward.angle() - start + 180.0) % 360.0) - 180.0
        path = QPainterPath()
        box = QRectF(vertex.x() - radius, vertex.y() - radius, 2 * radius, 2 * radius)
        path.arcMoveTo(box, start)
        path.arcTo(box, start, span)
        arc_pen = QPen(ARC_COLOUR, 2 * pen.widthF())
        arc_pen.setCosmetic(True)
        item = self.scene().addPath(path, arc_pen)
        item.setZValue(5)
        self.lines.append(item)

    # -- zoom and pan --------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self._fitted = True
        if self.full_size[0]:
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoomed()

    def actual_size(self) -> None:
        self._fitted = False
        self.resetTransform()
        self._zoomed()

    def zoom_by(self, factor: float) -> None:
        self._fitted = False
        new = min(16.0, max(0.02, self.zoom() * factor))
        self.scale(new / self.zoom(), new / self.zoom())
        self._zoomed()

    def _zoomed(self) -> None:
        self.layout_labels()  # the handles moved apart or together on the screen
        self.zoom_changed.emit(self.zoom())

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(math.pow(1.25, steps))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def mousePressEvent(self, event) -> None:
        if self.splitting and event.button() == Qt.MouseButton.LeftButton:
            p = self.mapToScene(event.position().toPoint())
            self._split_line = QGraphicsLineItem(p.x(), p.y(), p.x(), p.y())
            pen = QPen(QColor(255, 64, 129), 3)
            pen.setCosmetic(True)
            self._split_line.setPen(pen)
            self.scene().addItem(self._split_line)
            return
        if self.placing and event.button() == Qt.MouseButton.LeftButton:
            p = self.mapToScene(event.position().toPoint())
            if self.sceneRect().contains(p):
                self.photo_clicked.emit(p.x(), p.y())
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._split_line is not None:
            p = self.mapToScene(event.position().toPoint())
            line = self._split_line.line()
            self._split_line.setLine(line.x1(), line.y1(), p.x(), p.y())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._split_line is not None:
            line = self._split_line.line()
            self.scene().removeItem(self._split_line)
            self._split_line = None
            self.set_splitting(False)
            if line.length() > 0:
                self.split_drawn.emit(line.x1(), line.y1(), line.x2(), line.y2())
            return
        super().mouseReleaseEvent(event)

    def set_splitting(self, splitting: bool) -> None:
        """Whether the next drag draws the line that divides the photo's two feet."""
        self.splitting = splitting
        self.set_placing(False)
        if splitting:
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def set_placing(self, placing: bool) -> None:
        self.placing = placing
        self.setDragMode(
            QGraphicsView.DragMode.NoDrag if placing else QGraphicsView.DragMode.ScrollHandDrag
        )
        self.viewport().setCursor(
            Qt.CursorShape.CrossCursor if placing else Qt.CursorShape.OpenHandCursor
        )
