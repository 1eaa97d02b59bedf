"""The photo editor: a photo with its landmarks and measures, every landmark draggable.

One drag is one undo step. Measures update while dragging (computed in memory) and are
stored when the drag ends. The detector can be re-run; manual landmarks survive it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.photo import Photo
from footlog.domain.views import LANDMARKS_BY_VIEW, View
from footlog.gui.background import PoolJob, PoolSignals, Worker
from footlog.gui.editor_panel import EditorPanel
from footlog.gui.feet_bar import (
    FeetBar,
    FeetOverlay,
    line_split_command,
    one_foot_command,
    swap_command,
    two_feet_command,
)
from footlog.gui.photo_canvas import PhotoCanvas
from footlog.gui.session import LibrarySession
from footlog.gui.undo_commands import (
    ConfirmCommand,
    landmark_words,
    move_command,
    nudge_command,
    reset_command,
)
from footlog.imaging.photo_io import read_reduced
from footlog.imaging.thumbnails import ensure_thumbnail
from footlog.library_measuring import measure_library_photo
from footlog.measuring import compute_measures
from footlog.review import doubtful_first, template_landmarks
from footlog.storage.confirm_store import why_not_confirmable
from footlog.storage.feet_store import photo_feet
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks
from footlog.storage.photo_store import get_photo, update_photo

# Widgets in which Enter finishes typing rather than confirming the photo.
TEXT_INPUTS = (QLineEdit, QTextEdit, QAbstractSpinBox, QComboBox)

# Long side (px) of the picture the editor shows: a 12 MP photo at full resolution; larger
# ones reduced, which keeps a 100 MP photo's pixels within the decode budget.
EDITOR_MAX_SIDE = 4096


def _load_full(photo_id: int, path: Path, emit: Callable[[object], None]) -> None:
    """The photo's pixels for the editor, as (photo id, QImage); nothing when they cannot be
    read (the thumbnail stays on screen; the editor still works)."""
    try:
        pixels = read_reduced(path, EDITOR_MAX_SIDE).pixels
    except Exception:
        return
    h, w = pixels.shape[:2]
    image = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    emit((photo_id, image))


class PhotoEditor(QWidget):
    """Edits one photo at a time; `undo_stack` holds that photo's landmark edits."""

    confirmed = Signal(int)  # the person confirmed this photo (Enter, the button)
    escape_pressed = Signal()  # Esc with nothing else to stop (the review queue stops)

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.photo_id: int | None = None
        self.photo: Photo | None = None
        self.undo_stack = QUndoStack(self)
        self.canvas = PhotoCanvas()
        self.panel = EditorPanel()
        self.feet_bar = FeetBar()
        self.feet_overlay = FeetOverlay(self.canvas.scene())
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.feet_bar)
        column.addWidget(self.canvas, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 320])
        empty = QLabel(
            "<h2>No photo open</h2><p>Double-click a photo in the Photos tab "
            "(or select it and press Enter) to see and correct its landmarks.</p>"
        )
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(splitter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._signals = PoolSignals()
        self._signals.result.connect(self._full_image_arrived)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._placing: list[str] = []
        self._rerun: Worker | None = None

        self.reviewing = False  # in the review queue: the template's landmarks are shown
        self.canvas.landmark_moving.connect(self._moving)
        self.canvas.landmark_nudged.connect(self._nudged)
        self.canvas.landmark_chosen.connect(self._chosen)
        self.canvas.landmark_dropped.connect(self._dropped)
        self.canvas.photo_clicked.connect(self._placed)
        self.panel.facts_edited.connect(self._facts_edited)
        self.panel.reset_requested.connect(self.reset_landmark)
        self.panel.rerun_requested.connect(self.rerun_detector)
        self.panel.confirm_requested.connect(self.confirm_photo)
        self.panel.place_requested.connect(self.start_placing)
        self.panel.landmark_selected.connect(self._select_item)
        self.feet_bar.swap_requested.connect(self.swap_feet)
        self.feet_bar.one_requested.connect(self.one_foot)
        self.feet_bar.two_requested.connect(self.two_feet)
        self.feet_bar.other_requested.connect(self.other_foot)
        self.feet_bar.line_requested.connect(self.start_line_split)
        self.canvas.split_drawn.connect(self._line_drawn)
        session.photo_changed.connect(self._photo_changed_elsewhere)
        session.person_changed.connect(self._person_changed)

    # -- loading -----------------------------------------------------------------------

    def open_photo(self, photo_id: int) -> None:
        lib = self.session.library
        self.stop_placing()
        self.photo_id = photo_id
        self.photo = get_photo(lib, photo_id)
        self.stack.setCurrentIndex(1)
        self.undo_stack.clear()
        path = lib.photo_path(self.photo.file_name)
        # The thumbnail shows at once; the photo (up to EDITOR_MAX_SIDE) replaces it when decoded.
        try:
            thumb = QImage(str(ensure_thumbnail(path, lib.cache_dir, self.photo.sha256)))
        except Exception:
            thumb = QImage()
        self.canvas._fitted = True
        if not thumb.isNull():
            self.canvas.set_image(thumb, self.photo.width, self.photo.height)
        self._loupe_source()
        self._pool.start(PoolJob(partial(_load_full, photo_id, path), self._signals))
        self.refresh()

    def close_photo(self) -> None:
        """Show the empty state (the photo was deleted)."""
        self.stop_placing()
        self.photo_id = None
        self.photo = None
        self.undo_stack.clear()
        self.stack.setCurrentIndex(0)

    def wait_for_image(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    def _full_image_arrived(self, loaded: tuple[int, QImage]) -> None:
        self._full_image_loaded(*loaded)

    def _full_image_loaded(self, photo_id: int, image: QImage) -> None:
        if photo_id == self.photo_id and self.photo is not None:
            self.canvas.set_image(image, self.photo.width, self.photo.height)
            self._loupe_source()

    def refresh(self) -> None:
        """Reread the photo's landmarks and measures from the library."""
        if self.photo_id is None:
            return
        lib = self.session.library
        self.photo = get_photo(lib, self.photo_id)
        stored = load_landmarks(lib, self.photo_id)
        # A footprint's outline points are drawn as its outline, not as handles.
        handles = {n: s for n, s in stored.items() if not n.startswith("print_")}
        self.canvas.set_landmarks({n: (s.x, s.y, s.source == "manual") for n, s in handles.items()})
        self.canvas.set_outline(list(self.photo.outline) if self.photo.outline else None)
        self.panel.show_photo(
            self.photo, dict(self.photo.measures), handles, self._expected_landmarks()
        )
        self.canvas.tab_order = doubtful_first(self._expected_landmarks(), handles,
                                               self.photo.warnings)
        self.canvas.set_ghosts(template_landmarks(lib, self.photo, stored)
                               if self.reviewing else {})
        self._show_in_loupe(self.canvas.selected_name())
        feet = photo_feet(lib, self.photo_id)
        self.feet_bar.show_feet(feet, self.photo_id)
        self.feet_overlay.show(feet, self.photo_id, max(self.photo.width, self.photo.height))

    # -- the feet of a photo of both ----------------------------------------------------

    def swap_feet(self) -> None:
        if self.photo_id is None:  # no photo open
            return
        self._push_feet(swap_command(self.session.library, self.photo_id, self._feet_changed))

    def one_foot(self) -> None:
        if self.photo_id is None:
            return
        self._push_feet(one_foot_command(self.session.library, self.photo_id,
                                         self._feet_changed))

    def two_feet(self) -> None:
        if self.photo is None or self.photo_id is None:
            return
        self._push_feet(two_feet_command(self.session.library, self.photo_id,
                                         self.photo.width, self.photo.height,
                                         self._feet_changed))

    def start_line_split(self) -> None:
        """The next drag on the photo draws the line between the two feet."""
        if self.photo_id is not None and self.editable():
            self.stop_placing()
            self.canvas.set_splitting(True)

    def _line_drawn(self, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.photo is None or self.photo_id is None:
            return
        command = line_split_command(self.session.library, self.photo_id,
                                     (self.photo.width, self.photo.height),
                                     (x0, y0), (x1, y1), self._feet_changed)
        if command is not None:
            self._push_feet(command)

    def other_foot(self) -> None:
        """Open the photo's other foot (same photo, the other region)."""
        if self.photo_id is None:
            return
        others = [f for f in photo_feet(self.session.library, self.photo_id)
                  if f.photo_id != self.photo_id]
        if others:
            self.open_photo(others[0].photo_id)

    def _push_feet(self, command) -> None:
        if self.photo_id is None or not self.editable():
            return
        self.undo_stack.push(command)

    def _feet_changed(self, photo_id: int) -> None:
        """After a correction of the feet: the open row may be gone (one foot again), and
        the feet are measured again on their new regions."""
        lib = self.session.library
        if self.photo_id not in [f.photo_id for f in photo_feet(lib, photo_id)]:
            self.photo_id = photo_id  # the open foot's row was removed: the original's
        self.refresh()
        self.session.photos_changed.emit()
        self.rerun_detector()

    def _view(self) -> View:
        """The view the open photo is edited as: a photo stored without a view is edited in
        the view of the landmarks it has (`Photo.effective_view`)."""
        if self.photo is None:
            return View.DORSAL
        return self.photo.effective_view(self.canvas.positions())

    def _expected_landmarks(self) -> tuple[str, ...]:
        return LANDMARKS_BY_VIEW.get(self._view(), ())

    def _person_changed(self) -> None:
        if self.photo is not None and self.photo.person_id != self.session.person.id:
            self.close_photo()

    def _photo_changed_elsewhere(self, photo_id: int) -> None:
        if photo_id == self.photo_id:
            self.refresh()

    # -- dragging ----------------------------------------------------------------------

    def _moving(self, name: str, x: float, y: float) -> None:
        if name == self.canvas.selected_name():
            self.panel.loupe.show_point(name, x, y)
        self._update_measures()

    def _update_measures(self) -> None:
        if self.photo is None:
            return
        measures = compute_measures(self._view(), self.canvas.positions(), self.photo.foot,
                                    self.photo.calibration)
        self.panel.show_measures(measures)

    def editable(self) -> bool:
        """Whether the open photo can be changed; if not, say why and show it as stored."""
        reason = self.session.library.read_only_reason
        if reason is not None:
            QMessageBox.warning(self, "footlog", reason[:1].upper() + reason[1:])
            if self.photo_id is not None:
                # Later: a drag calls this from inside the dragged handle's own event.
                QTimer.singleShot(0, self.refresh)
        return reason is None

    def _dropped(self, name: str, x: float, y: float) -> None:
        if self.photo_id is None or not self.editable():
            return
        self.undo_stack.push(
            move_command(
                self.session.library, self.photo_id, name, x, y, self.session.photo_changed.emit
            )
        )

    def reset_landmark(self, name: str) -> None:
        if self.photo_id is None or not self.editable():
            return
        command = reset_command(
            self.session.library, self.photo_id, name, self.session.photo_changed.emit
        )
        if command is not None:
            self.undo_stack.push(command)

    def _nudged(self, name: str, x: float, y: float) -> None:
        if self.photo_id is None or not self.editable():
            return
        self._moving(name, x, y)
        self.undo_stack.push(nudge_command(self.session.library, self.photo_id, name, x, y,
                                           self.session.photo_changed.emit))

    def _chosen(self, name: str) -> None:
        self._show_in_loupe(name)

    def _show_in_loupe(self, name: str | None) -> None:
        item = self.canvas.items_by_name.get(name) if name else None
        if item is None or name is None:
            self.panel.loupe.clear()
        else:
            self.panel.loupe.show_point(name, item.pos().x(), item.pos().y())

    def _loupe_source(self) -> None:
        pix = self.canvas.pixmap_item.pixmap()
        self.panel.loupe.set_source(pix, self.canvas.pixmap_item.scale())

    def select_first_doubtful(self) -> None:
        """Select the landmark to look at first (Tab goes on from it)."""
        if self.canvas.tab_order:
            self.canvas.select_landmark(self.canvas.tab_order[0])
        self.canvas.setFocus()

    def _select_item(self, name: str) -> None:
        self.canvas.scene().clearSelection()
        item = self.canvas.items_by_name.get(name)
        if item is not None:
            item.setSelected(True)
            self.canvas.ensureVisible(item)

    # -- detector and facts ------------------------------------------------------------

    def rerun_detector(self) -> None:
        """Measure the photo again in the background; manual landmarks are kept."""
        if self.photo_id is None or self._rerun is not None or not self.editable():
            return
        photo_id, root = self.photo_id, self.session.root

        def job(_progress, _cancelled) -> int:
            with Library.open_for_thread(root) as lib:
                measure_library_photo(lib, photo_id)
            return photo_id

        self._rerun = Worker(job)
        self._rerun.finished.connect(self._rerun_done)
        self._rerun.failed.connect(self._rerun_failed)
        self.panel.rerun_button.setEnabled(False)
        self.panel.rerun_button.setText("Measuring…")
        self._rerun.start()

    def wait_for_detector(self, msecs: int = 60000) -> bool:
        return self._rerun is None or self._rerun.wait(msecs)

    def _rerun_finished(self) -> None:
        if self._rerun is not None:
            self._rerun.wait()
        self._rerun = None
        self.panel.rerun_button.setEnabled(True)
        self.panel.rerun_button.setText("Re-run detector")

    def _rerun_done(self, photo_id: int) -> None:
        self._rerun_finished()
        self.session.photo_changed.emit(photo_id)
        self.session.photos_changed.emit()

    def _rerun_failed(self, reason: str) -> None:
        self._rerun_finished()
        QMessageBox.warning(self, "footlog", f"The detector could not run: {reason}")

    def _facts_edited(self, changes: dict) -> None:
        if self.photo_id is None or not self.editable():
            return
        update_photo(self.session.library, self.photo_id, **changes)
        if "foot" in changes or "view" in changes:
            # Side and view change how measures are read (the sign of the angles).
            from footlog.library_measuring import recompute_library_measures

            recompute_library_measures(self.session.library, self.photo_id)
        self.session.photo_changed.emit(self.photo_id)

    # -- placing landmarks by clicking ------------------------------------------------

    def start_placing(self) -> None:
        """Click each missing landmark in order (all of them when none is missing)."""
        if self.photo_id is None or not self.editable():
            return
        present = set(load_landmarks(self.session.library, self.photo_id))
        expected = list(self._expected_landmarks())
        self._placing = [n for n in expected if n not in present] or expected
        self.canvas.set_placing(True)
        self._prompt_next()

    def stop_placing(self) -> None:
        self._placing = []
        self.canvas.set_placing(False)
        self.panel.show_guide(None)

    def _prompt_next(self) -> None:
        if not self._placing:
            self.stop_placing()
            return
        self.panel.show_guide(self._placing[0], landmark_words(self._placing[0]))

    def _placed(self, x: float, y: float) -> None:
        if not self._placing or self.photo_id is None:
            return
        name = self._placing.pop(0)
        self.undo_stack.push(
            move_command(
                self.session.library, self.photo_id, name, x, y, self.session.photo_changed.emit
            )
        )
        self._prompt_next()

    def confirm_photo(self) -> bool:
        """Confirm the open photo's landmarks (one undo step); False, saying why, when it
        cannot be confirmed (no measures yet, say)."""
        if self.photo_id is None or not self.editable():
            return False
        if self.photo is not None and self.photo.confirmed_at:
            self.confirmed.emit(self.photo_id)  # already confirmed: go on all the same
            return True
        problem = why_not_confirmable(self.session.library, [self.photo_id])
        if problem:
            QMessageBox.information(self, "Confirm landmarks", problem[:1].upper() + problem[1:])
            return False
        self.undo_stack.push(ConfirmCommand(self.session.library, [self.photo_id],
                                            self.session.photo_changed.emit))
        self.confirmed.emit(self.photo_id)
        return True

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self._placing:
                self.stop_placing()
            else:
                self.escape_pressed.emit()
            return
        # Enter confirms the landmarks; a text field or list that wants Enter keeps it (it
        # ignores the key only when it has no use for it, as a line edit does).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._placing:
            focus = QApplication.focusWidget()
            if focus is None or not isinstance(focus, TEXT_INPUTS):
                self.confirm_photo()
                return
        super().keyPressEvent(event)
