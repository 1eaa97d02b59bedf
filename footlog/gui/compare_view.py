"""Then and now: two photos of one foot aligned on their landmarks, compared by an opacity
slider or a curtain dragged across, with both outlines and the measures' differences.

The foot is chosen first, so that a left foot is never compared with a right one by mistake;
each difference is shown beside how much repeat photos of one day differ (the MDC95 of
footlog.domain.statistics), and a photo the detector doubted is marked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage
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
    repeatability_of,
    warped_second_image,
)
from footlog.domain.calibration import apply_homography
from footlog.domain.photo import Photo
from footlog.domain.statistics import TRUSTED_STATUS, Repeatability, session_mdc
from footlog.domain.stats_text import describe_repeatability
from footlog.domain.views import MEASURES, Foot
from footlog.gui.compare_canvas import CompareCanvas
from footlog.gui.editor_panel import format_measure
from footlog.gui.session import LibrarySession
from footlog.storage.photo_store import list_photos


def _qimage(pixels: np.ndarray) -> QImage:
    h, w = pixels.shape[:2]
    return QImage(
        np.ascontiguousarray(pixels).data, w, h, 3 * w, QImage.Format.Format_RGB888
    ).copy()


FOOT_CHOICES = (("right", "Right foot"), ("left", "Left foot"))
DOUBTED_MARK = "⚠"
DOUBTED_TIP = ("The detector doubted this photo ({status}): check its landmarks in the "
               "editor (and confirm them) before trusting a change it shows.")
NOISE_TIP = ("Noise: two photos of the same foot taken the same day differ by up to this "
             "much (95 % of the time: the MDC95). A change smaller than that may be only the "
             "photos' noise. 'unknown' until you have repeat photos: take two or three each "
             "time.")


def photo_entry(photo: Photo) -> str:
    """'2019-03-10 · #1', marked when the detector doubted the photo."""
    mark = f" {DOUBTED_MARK} {photo.status}" if photo.status not in TRUSTED_STATUS else ""
    return f"{photo.taken_at[:10]} · #{photo.id}{mark}"


def change_words(name: str, diff: float, mdc: float | None) -> tuple[str, str, bool | None]:
    """(change, noise, beyond): '+4.5°', '±6.9°', whether the change exceeds the noise
    (None when no noise figure is known)."""
    unit = MEASURES[name].unit
    def fmt(v: float, sign: str) -> str:
        return (f"{v:{sign}.1f}°" if unit == "deg"
                else (f"{v:{sign}.1f} mm" if unit == "mm" else f"{v:{sign}.3f}"))
    if mdc is None:
        return fmt(diff, "+"), "unknown", None
    return fmt(diff, "+"), "±" + fmt(mdc, ""), abs(diff) > mdc


class CompareView(QWidget):
    """Pick a foot and view, then two of its photos (default: its oldest and newest)."""

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.comparison: Comparison | None = None
        self.noise: dict[str, Repeatability] = {}
        self._ends: tuple[int | None, int | None] = (None, None)  # oldest, newest shown
        self.first_combo, self.second_combo = QComboBox(), QComboBox()
        self.foot_combo = QComboBox()
        for value, text in FOOT_CHOICES:
            self.foot_combo.addItem(text, value)
        self.foot_combo.setToolTip("Photos of one foot are compared; choose the foot first")
        self.view_combo = QComboBox()
        self.view_combo.addItems(["dorsal", "medial", "plantar"])
        self._foot_set_by_person = False  # until then, the foot with the most photos
        self.foot_combo.activated.connect(self._foot_chosen)
        self.view_combo.currentIndexChanged.connect(lambda _i: self.reload(keep=False))
        for combo in (self.first_combo, self.second_combo):
            combo.setMinimumWidth(200)
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
        whole = QPushButton("Both Feet Whole")
        whole.setToolTip("Zoom out to the two feet (or double-click the picture)")
        export = QPushButton("Export PNG…")
        export.clicked.connect(self.export_png)
        self.canvas = CompareCanvas()
        whole.clicked.connect(self.canvas.reset_view)
        self.canvas.curtain_moved.connect(lambda v: self.slider.setValue(round(v * 100)))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Measure", "First", "Second", "Change", "Noise"])
        noise_header = QTableWidgetItem("Noise")
        noise_header.setToolTip(NOISE_TIP)
        self.table.setHorizontalHeaderItem(4, noise_header)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumWidth(480)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)

        top = QHBoxLayout()
        for widget in (self.foot_combo, self.view_combo, QLabel("First"), self.first_combo,
                       QLabel("Second"), self.second_combo):
            top.addWidget(widget)
        top.addStretch(1)
        controls = QHBoxLayout()
        for control in (self.blend, self.curtain, self.slider, self.outlines, whole, export):
            controls.addWidget(control)
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addWidget(self.table, 1)
        side.addWidget(self.note)
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

    def reload(self, keep: bool = True) -> None:
        """Fill the photo lists for the chosen foot and view; default to the oldest and
        newest. A choice the person made stays, except that one at an end of the series
        follows it: an import of an older photo moves "first" to that photo."""
        self._stale = False
        every = list_photos(self.session.library, self.session.person)
        self.noise = repeatability_of(every)
        view = self.view_combo.currentText()
        if not self._foot_set_by_person:
            self._choose_foot(every, view)
        foot = self.foot_combo.currentData()
        photos = sorted((p for p in every if p.view == view and p.foot == foot
                         and p.measures), key=lambda p: (p.taken_at, p.id))
        kept = (self.first_combo.currentData(), self.second_combo.currentData()) if keep else (
            None, None)
        for combo in (self.first_combo, self.second_combo):
            combo.blockSignals(True)
            combo.clear()
            for p in photos:
                combo.addItem(photo_entry(p), p.id)
                if p.status not in TRUSTED_STATUS:
                    combo.setItemData(combo.count() - 1,
                                      DOUBTED_TIP.format(status=p.status),
                                      Qt.ItemDataRole.ToolTipRole)
            combo.blockSignals(False)
        ids = [p.id for p in photos]
        if len(ids) >= 2:
            first = ids[0] if kept[0] in (None, self._ends[0]) or kept[0] not in ids else kept[0]
            second = (ids[-1] if kept[1] in (None, self._ends[1]) or kept[1] not in ids
                      else kept[1])
            self.first_combo.setCurrentIndex(ids.index(first))
            self.second_combo.setCurrentIndex(ids.index(second))
        self._ends = (ids[0], ids[-1]) if ids else (None, None)
        unknown = sum(1 for p in every if p.view == view and p.foot == Foot.UNKNOWN)
        self.note.setText(
            f"{unknown} {view} photo{'s' if unknown != 1 else ''} of an unknown foot "
            "cannot be compared: set the foot in the editor." if unknown else "")
        self.recompute()

    def _foot_chosen(self, _index: int) -> None:
        self._foot_set_by_person = True
        self.reload(keep=False)

    def _choose_foot(self, photos: list[Photo], view: str) -> None:
        """The foot with the most measured photos of the view (the right one on a tie)."""
        counts = {foot: sum(1 for p in photos if p.foot == foot and p.view == view
                            and p.measures) for foot, _ in FOOT_CHOICES}
        best = max(counts, key=lambda f: counts[f])
        self.foot_combo.blockSignals(True)
        self.foot_combo.setCurrentIndex(self.foot_combo.findData(best))
        self.foot_combo.blockSignals(False)

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
                "Choose two different photos of this foot."
                if self.first_combo.count() >= 2
                else "Two measured photos of this foot and view are needed to compare.")
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
        for outline, warp, colour in (
            (comparison.first.outline, np.eye(3), FIRST_COLOUR),
            (comparison.second.outline, comparison.warp, SECOND_COLOUR),
        ):
            if outline:
                outlines.append((apply_homography(warp, outline) / scale, QColor(*colour)))
        points = [
            (np.array(list(comparison.landmarks_first.values())) / scale, QColor(*FIRST_COLOUR)),
            (np.array(list(comparison.landmarks_second.values())) / scale, QColor(*SECOND_COLOUR)),
        ]
        self.canvas.set_images(
            _qimage(a), _qimage(b), outlines, [(p, c) for p, c in points if len(p)]
        )
        doubted = [p for p in (comparison.first, comparison.second)
                   if p.status not in TRUSTED_STATUS]
        warning = "".join(
            f"<br><b>{DOUBTED_MARK}</b> photo #{p.id} ({p.taken_at[:10]}) is "
            f"'{p.status}': the detector doubted it; check it before trusting the change."
            for p in doubted)
        self.summary.setText(
            f"<span style='color:rgb{FIRST_COLOUR}'>■</span> first, "
            f"<span style='color:rgb{SECOND_COLOUR}'>■</span> second.<br>"
            + comparison.summary() + warning)
        self._fill_table(comparison)

    def _fill_table(self, comparison: Comparison) -> None:
        diffs = comparison.differences()
        self.table.setRowCount(len(diffs))
        marks = [DOUBTED_MARK if p.status not in TRUSTED_STATUS else ""
                 for p in (comparison.first, comparison.second)]
        for row, (name, diff) in enumerate(diffs.items()):
            rep = self.noise.get(name)
            # Two single photos: the session MDC of two sessions of one photo each.
            mdc = session_mdc(rep.mdc95, 1, 1) if rep is not None else None
            change, noise, beyond = change_words(name, diff, mdc)
            verdict = {None: "", True: " · beyond noise", False: " · within noise"}
            cells = (
                MEASURES[name].label,
                f"{format_measure(name, comparison.measures_first[name])} {marks[0]}".strip(),
                f"{format_measure(name, comparison.measures_second[name])} {marks[1]}".strip(),
                change + verdict[beyond],
                noise,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2) and marks[col - 1]:
                    item.setToolTip(DOUBTED_TIP.format(
                        status=(comparison.first, comparison.second)[col - 1].status))
                if col == 3 and beyond:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                if col == 4:
                    item.setToolTip(describe_repeatability(rep) if rep else NOISE_TIP)
                self.table.setItem(row, col, item)
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
