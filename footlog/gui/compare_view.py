"""Then and now: two photos of one foot aligned on their landmarks, compared by an opacity
slider or a curtain dragged across, with both outlines and the measures' differences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from footlog.compare import (
    FIRST_COLOUR,
    SECOND_COLOUR,
    Comparison,
    compare_photos,
    render_overlay,
    warped_second_image,
)
from footlog.domain.calibration import apply_homography
from footlog.domain.views import MEASURES
from footlog.gui.editor_panel import format_measure
from footlog.gui.session import LibrarySession
from footlog.storage.photo_store import list_photos


def _qimage(pixels: np.ndarray) -> QImage:
    h, w = pixels.shape[:2]
    return QImage(
        np.ascontiguousarray(pixels).data, w, h, 3 * w, QImage.Format.Format_RGB888
    ).copy()


class CompareCanvas(QWidget):
    """Paints the first photo, the second over it (blend or curtain), and the outlines.

    In curtain mode, dragging anywhere moves the curtain.
    """

    curtain_moved = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first: QImage | None = None
        self.second: QImage | None = None
        self.outlines: list[tuple[np.ndarray, QColor]] = []
        self.points: list[tuple[np.ndarray, QColor]] = []  # landmarks, in image px
        self.opacity = 0.5
        self.curtain: float | None = None
        self.show_outlines = True
        self.setMinimumSize(400, 300)

    def set_images(
        self,
        first: QImage,
        second: QImage,
        outlines: list[tuple[np.ndarray, QColor]],
        points: list[tuple[np.ndarray, QColor]] | None = None,
    ) -> None:
        self.first, self.second, self.outlines = first, second, outlines
        self.points = points or []
        self.update()

    def clear(self) -> None:
        self.first = self.second = None
        self.outlines = []
        self.update()

    def _target(self) -> QRectF:
        w, h = self.first.width(), self.first.height()
        k = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * k) / 2, (self.height() - h * k) / 2, w * k, h * k)

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
        target = self._target()
        painter.drawImage(target, self.first)
        if self.curtain is None:
            painter.setOpacity(self.opacity)
            painter.drawImage(target, self.second)
            painter.setOpacity(1.0)
        else:
            cut = target.left() + self.curtain * target.width()
            painter.save()
            painter.setClipRect(QRectF(cut, target.top(), target.right() - cut, target.height()))
            painter.drawImage(target, self.second)
            painter.restore()
            painter.setPen(QPen(QColor("white"), 2))
            painter.drawLine(QPointF(cut, target.top()), QPointF(cut, target.bottom()))
        if self.show_outlines:
            k = target.width() / self.first.width()
            for points, colour in self.outlines:
                path = QPainterPath()
                for i, (x, y) in enumerate(points):
                    p = QPointF(target.left() + x * k, target.top() + y * k)
                    path.moveTo(p) if i == 0 else path.lineTo(p)
                path.closeSubpath()
                painter.setPen(QPen(colour, 2))
                painter.drawPath(path)
            for points, colour in self.points:
                painter.setPen(QPen(colour, 2))
                for x, y in points:
                    painter.drawEllipse(
                        QPointF(target.left() + x * k, target.top() + y * k), 4.0, 4.0
                    )

    def _drag(self, x: float) -> None:
        if self.curtain is not None and self.first is not None:
            target = self._target()
            self.curtain = min(1.0, max(0.0, (x - target.left()) / target.width()))
            self.curtain_moved.emit(self.curtain)
            self.update()

    def mousePressEvent(self, event) -> None:
        self._drag(event.position().x())

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._drag(event.position().x())


class CompareView(QWidget):
    """Pick two photos (default: the oldest and newest of a foot and view) and compare."""

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.comparison: Comparison | None = None
        self.first_combo, self.second_combo = QComboBox(), QComboBox()
        self.view_combo = QComboBox()
        self.view_combo.addItems(["dorsal", "medial", "plantar"])
        self.view_combo.currentIndexChanged.connect(self.reload)
        for combo in (self.first_combo, self.second_combo):
            combo.setMinimumWidth(230)
            combo.activated.connect(lambda _i: self.recompute())
        self.blend = QRadioButton("Blend")
        self.curtain = QRadioButton("Curtain")
        self.blend.setChecked(True)
        self.blend.toggled.connect(self._mode_changed)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.valueChanged.connect(self._slider_moved)
        self.outlines = QCheckBox("Outlines and landmarks")
        self.outlines.setChecked(True)
        self.outlines.toggled.connect(self._outlines_toggled)
        export = QPushButton("Export PNG…")
        export.clicked.connect(self.export_png)
        self.canvas = CompareCanvas()
        self.canvas.curtain_moved.connect(lambda v: self.slider.setValue(round(v * 100)))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Measure", "First", "Second", "Change"])
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumWidth(380)
        self.table.horizontalHeader().setStretchLastSection(True)

        top = QHBoxLayout()
        for widget in (
            QLabel("View"),
            self.view_combo,
            QLabel("First"),
            self.first_combo,
            QLabel("Second"),
            self.second_combo,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        controls = QHBoxLayout()
        for widget in (self.blend, self.curtain, self.slider, self.outlines, export):
            controls.addWidget(widget)
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addWidget(self.canvas, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addLayout(body, 1)
        # Aligning decodes two photos: do it only when the tab is seen, never on every
        # change while it is hidden (an import changes the library every few photos).
        self._stale = True
        session.photos_changed.connect(self._library_changed)
        session.person_changed.connect(self._library_changed)

    def _library_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- choosing photos ----------------------------------------------------------------

    def reload(self) -> None:
        """Fill the photo lists for the chosen view; default to the oldest and newest."""
        self._stale = False
        view = self.view_combo.currentText()
        photos = [
            p
            for p in list_photos(self.session.library, self.session.person)
            if p["view"] == view and p["measures"]
        ]
        photos.sort(key=lambda p: (p["taken_at"], p["id"]))
        keep = (self.first_combo.currentData(), self.second_combo.currentData())
        for combo in (self.first_combo, self.second_combo):
            combo.blockSignals(True)
            combo.clear()
            for p in photos:
                combo.addItem(f"{p['taken_at'][:10]} · {p['foot']} · #{p['id']}", p["id"])
            combo.blockSignals(False)
        ids = [p["id"] for p in photos]
        if len(ids) >= 2:
            newest_same_foot = [p["id"] for p in photos if p["foot"] == photos[0]["foot"]]
            first = keep[0] if keep[0] in ids else ids[0]
            second = (
                keep[1]
                if keep[1] in ids
                else (newest_same_foot[-1] if len(newest_same_foot) > 1 else ids[-1])
            )
            self.first_combo.setCurrentIndex(ids.index(first))
            self.second_combo.setCurrentIndex(ids.index(second))
        self.recompute()

    def compare(self, first_id: int, second_id: int) -> None:
        for combo, wanted in ((self.first_combo, first_id), (self.second_combo, second_id)):
            index = combo.findData(wanted)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.recompute()

    def recompute(self) -> None:
        first, second = self.first_combo.currentData(), self.second_combo.currentData()
        self.comparison = None
        if first is None or second is None or first == second:
            self.canvas.clear()
            self.summary.setText(
                "Choose two different photos of the same view."
                if self.first_combo.count() >= 2
                else "Two measured photos of one view are needed to compare."
            )
            self.table.setRowCount(0)
            return
        lib = self.session.library
        try:
            comparison = compare_photos(lib, first, second)
            a, b, scale = warped_second_image(lib, comparison, max_side=1400)
        except Exception as exc:
            self.canvas.clear()
            self.summary.setText(f"These photos cannot be aligned: {exc}")
            return
        self.comparison = comparison
        outlines = []
        for raw, warp, colour in (
            (comparison.first.get("outline"), np.eye(3), FIRST_COLOUR),
            (comparison.second.get("outline"), comparison.warp, SECOND_COLOUR),
        ):
            if raw:
                outlines.append((apply_homography(warp, json.loads(raw)) / scale, QColor(*colour)))
        points = [
            (np.array(list(comparison.landmarks_first.values())) / scale, QColor(*FIRST_COLOUR)),
            (np.array(list(comparison.landmarks_second.values())) / scale, QColor(*SECOND_COLOUR)),
        ]
        self.canvas.set_images(
            _qimage(a), _qimage(b), outlines, [(p, c) for p, c in points if len(p)]
        )
        self.summary.setText(
            f"<span style='color:rgb{FIRST_COLOUR}'>■</span> first, "
            f"<span style='color:rgb{SECOND_COLOUR}'>■</span> second.<br>" + comparison.summary()
        )
        self._fill_table(comparison)

    def _fill_table(self, comparison: Comparison) -> None:
        diffs = comparison.differences()
        self.table.setRowCount(len(diffs))
        for row, (name, diff) in enumerate(diffs.items()):
            unit = MEASURES[name].unit
            change = (
                f"{diff:+.1f}°"
                if unit == "deg"
                else (f"{diff:+.1f} mm" if unit == "mm" else f"{diff:+.3f}")
            )
            cells = (
                MEASURES[name].label,
                format_measure(name, comparison.measures_first[name]),
                format_measure(name, comparison.measures_second[name]),
                change,
            )
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    # -- display ---------------------------------------------------------------------------

    def _mode_changed(self) -> None:
        self.canvas.curtain = None if self.blend.isChecked() else self.slider.value() / 100
        self.canvas.update()

    def _slider_moved(self, value: int) -> None:
        if self.blend.isChecked():
            self.canvas.opacity = value / 100
        else:
            self.canvas.curtain = value / 100
        self.canvas.update()

    def _outlines_toggled(self, on: bool) -> None:
        self.canvas.show_outlines = on
        self.canvas.update()

    def export_png(self) -> None:
        if self.comparison is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the overlay", "overlay.png", "PNG (*.png)"
        )
        if not target:
            return
        try:
            image = render_overlay(
                self.session.library,
                self.comparison,
                opacity=self.canvas.opacity,
                curtain=self.canvas.curtain,
            )
            image.save(Path(target))
        except OSError as exc:
            QMessageBox.warning(self, "footlog", f"The overlay could not be saved: {exc}")
