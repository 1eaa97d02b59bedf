"""The main window: library, photo editor and run log as tabs, with menus for everything."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QWidget,
)

from footlog import __version__
from footlog.gui.background import Worker, wait_for_workers
from footlog.gui.file_actions import FileActionsMixin
from footlog.gui.first_run_actions import FirstRunActionsMixin
from footlog.gui.help_actions import HelpActionsMixin
from footlog.gui.import_dialog import ImportDialog
from footlog.gui.lazy_tab import LazyTab
from footlog.gui.library_view import LibraryView
from footlog.gui.paper_actions import PaperActionsMixin
from footlog.gui.photo_editor import PhotoEditor
from footlog.gui.remeasure_actions import RemeasureActionsMixin
from footlog.gui.review_actions import ReviewActionsMixin
from footlog.gui.runs_view import RunLogView
from footlog.gui.session import LibrarySession
from footlog.gui.watch_actions import WatchActionsMixin
from footlog.gui.workers import photo_import_job
from footlog.storage.database import LibraryError
from footlog.storage.photo_store import PHOTO_SUFFIXES, walk_photo_paths


class MainWindow(WatchActionsMixin, FileActionsMixin, FirstRunActionsMixin, HelpActionsMixin,
                 PaperActionsMixin, RemeasureActionsMixin, ReviewActionsMixin, QMainWindow):
    def __init__(self, session: LibrarySession, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings("footlog", "footlog")
        self.session = session
        self.worker: Worker | None = None
        self._work_verb = "Importing and measuring"
        self.undo_group = QUndoGroup(self)
        self.setAcceptDrops(True)
        self._build_status_bar()
        self._build_tabs()
        self._build_menus()
        self.connect_first_run()
        self._restore_geometry()
        self._update_title()
        self.session.photos_changed.connect(self._close_photo_if_gone)
        self.session.watch_outside_changes()
        warning = self.session.library.location_warning
        if warning:  # said on every start: the person may move the library, or not
            self.status_text.setText(warning[:1].upper() + warning[1:])
        if self.session.library.read_only_reason:
            self.status_text.setText(f"Read only: {self.session.library.read_only_reason}")
        else:
            # Photos a killed footlog left unmeasured are measured again in the background.
            QTimer.singleShot(0, self.measure_left_over)

    # -- construction ------------------------------------------------------------------

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget()
        self.library_view = LibraryView(self.session)
        self.editor = PhotoEditor(self.session)
        self.editor.confirmed.connect(self._review_confirmed)
        self.editor.escape_pressed.connect(self.stop_review)
        self.runs_view = RunLogView(self.session)
        self.tabs.addTab(self.library_view, "Photos")
        self.tabs.addTab(self.editor, "Editor")
        self.tabs.addTab(self.runs_view, "Runs")
        self.timeline_tab = LazyTab(self._make_timeline)
        self.tabs.addTab(self.timeline_tab, "Timeline")
        self.compare_tab = LazyTab(self._make_compare)
        self.tabs.addTab(self.compare_tab, "Compare")
        self.setCentralWidget(self.tabs)
        # Two undo stacks: the open photo's landmark edits, and the library's (deleting and
        # restoring photos). Edit ▸ Undo acts on whichever changed last.
        self.library_undo = QUndoStack(self)
        for stack in (self.editor.undo_stack, self.library_undo):
            self.undo_group.addStack(stack)
            stack.indexChanged.connect(lambda _i, s=stack: _activate(s))
        self.undo_group.setActiveStack(self.editor.undo_stack)
        self.library_view.open_photo.connect(self.open_photo)
        self.library_view.delete_requested.connect(self.delete_photos)
        self.runs_view.import_finished.connect(self.status_text.setText)

    def _make_timeline(self) -> QWidget:
        from footlog.gui.timeline_view import TimelineView

        view = TimelineView(self.session)
        view.open_photo.connect(self.open_photo)
        view.open_photos.connect(self.review_photos)
        return view

    def _make_compare(self) -> QWidget:
        from footlog.gui.compare_view import CompareView

        return CompareView(self.session)

    @property
    def timeline_view(self):
        """The Timeline tab's view (built on first use)."""
        return self.timeline_tab.view()

    @property
    def compare_view(self):
        """The Compare tab's view (built on first use)."""
        return self.compare_tab.view()

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_work)
        self.status_text = QLabel()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        # triggered(bool) would hand `checked` to the slot's first parameter (it once made
        # Delete skip its question and Export Report think it had no file): drop it.
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New Library…", self.new_library, QKeySequence.StandardKey.New)
        self._action(
            file_menu, "&Open Library…", self.choose_library, QKeySequence.StandardKey.Open
        )
        file_menu.addSeparator()
        self._action(
            file_menu,
            "&Import Photos…",
            self.choose_photos,
            "Ctrl+I",
            "Copy photos into the library and measure them",
        )
        self._build_watch_actions(file_menu)
        self._action(
            file_menu,
            "Import &Runs…",
            self.runs_view_import,
            None,
            "Import Strava, Garmin, GPX, TCX or FIT files",
        )
        self._action(file_menu, "Export &CSV…", self.export_csv, None)
        self._action(
            file_menu,
            "&Back Up Library…",
            self.back_up_library,
            None,
            "One zip file with the database and every photo, verified by hash",
        )
        self._action(
            file_menu,
            "Export &Report (PDF)…",
            self.export_report,
            "Ctrl+Shift+R",
            "A PDF for a clinician or a reader",
        )
        self._action(
            file_menu,
            "Print Calibration &Sheet…",
            self.save_sheet,
            None,
            "A page with markers that gives each photo a scale in millimetres",
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        prefs = self._action(edit, "&Preferences…", self.edit_preferences, "Ctrl+,")
        prefs.setMenuRole(QAction.MenuRole.PreferencesRole)

        photo = bar.addMenu("&Photo")
        self._action(photo, "&Re-run Detector", self.editor.rerun_detector, "Ctrl+R")
        self._action(
            photo,
            "&Measure All Again…",
            self.measure_all_again,
            None,
            "Run the current detector on every photo; see what would change before saving",
        )
        self._action(photo, "Reset &Landmark", self._reset_selected, "Ctrl+Backspace")
        self._action(photo, "&Place Landmarks by Clicking", self.editor.start_placing, "Ctrl+P")
        self._action(
            photo,
            "Re&view Photos",
            self.start_review,
            "F7",
            "Step through the photos that need a look: Enter confirms and goes on",
        )
        self._action(
            photo,
            "&Confirm Landmarks",
            self.confirm_photos,
            "Ctrl+Return",
            "Say you checked the landmarks (Enter in the editor); undoable",
        )
        self._action(
            photo,
            "&Delete Photo…",
            self.delete_photos,
            None,
            "Move the photo to the trash (undoable; your original file stays)",
        )
        self._action(
            photo,
            "Deleted P&hotos…",
            self.show_deleted_photos,
            None,
            "Restore photos from the trash, or delete them for good",
        )
        photo.addSeparator()
        self._action(photo, "&Next Photo", lambda: self._step_photo(1), "PgDown")
        self._action(photo, "Pre&vious Photo", lambda: self._step_photo(-1), "PgUp")
        photo.addSeparator()
        self._action(
            photo,
            "Zoom &In",
            lambda: self.editor.canvas.zoom_by(1.25),
            QKeySequence.StandardKey.ZoomIn,
        )
        self._action(
            photo,
            "Zoom &Out",
            lambda: self.editor.canvas.zoom_by(0.8),
            QKeySequence.StandardKey.ZoomOut,
        )
        self._action(photo, "&Fit to Window", self.editor.canvas.fit, "Ctrl+0")
        self._action(photo, "&Actual Size (100 %)", self.editor.canvas.actual_size, "Ctrl+1")

        view = bar.addMenu("&View")
        for index, name in enumerate(("&Photos", "&Editor", "&Runs", "&Timeline", "&Compare")):
            self._action(
                view,
                name,
                lambda _=False, i=index: self.tabs.setCurrentIndex(i),
                f"Alt+{index + 1}",
            )

        self.people_menu = bar.addMenu("P&eople")
        self.people_menu.aboutToShow.connect(self._fill_people_menu)
        self.session.person_changed.connect(self._fill_people_menu)
        self._fill_people_menu()

        help_menu = bar.addMenu("&Help")
        self.add_help_actions(help_menu)
        self._action(help_menu, "&About footlog", self.about)

    # -- library -----------------------------------------------------------------------

    def _update_title(self) -> None:
        self.setWindowTitle(f"footlog — {self.session.root}")
        self.status_text.setText(f"Library {self.session.root}")

    def switch_library(self, root: Path) -> None:
        try:
            session = LibrarySession.open(root)
        except LibraryError as exc:
            QMessageBox.warning(self, "footlog", f"That library cannot be opened: {exc}")
            return
        self.settings.setValue("library", str(root))
        # The simplest way to rebind every view: a fresh window on the new session.
        window = MainWindow(session, self.settings)
        window.show()
        self.close()

    def new_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose an empty folder for the library")
        if folder:
            self.switch_library(Path(folder))

    def choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a footlog library folder")
        if folder:
            self.switch_library(Path(folder))

    # -- photos ------------------------------------------------------------------------

    def open_photo(self, photo_id: int) -> None:
        self.editor.open_photo(photo_id)
        self.tabs.setCurrentWidget(self.editor)

    def _step_photo(self, step: int) -> None:
        if self.reviewing():  # PgDown / PgUp move through the review queue
            self.review_step(step)
            return
        ids = self.library_view.model.photo_ids()
        if not ids:
            return
        current = self.editor.photo_id
        index = ids.index(current) + step if current in ids else 0
        if 0 <= index < len(ids):
            self.open_photo(ids[index])
            self.library_view.select_photo(ids[index])

    def _reset_selected(self) -> None:
        name = self.editor.panel.selected_landmark()
        selected = [i.name for i in self.editor.canvas.items_by_name.values() if i.isSelected()]
        for landmark in selected or ([name] if name else []):
            self.editor.reset_landmark(landmark)

    def delete_photos(self, ask: bool = True) -> None:
        """Move the selected photos (library) or the open one (editor) to the trash, after
        asking; Edit ▸ Undo brings them back."""
        from footlog.gui.trash_view import TrashCommand, plural

        if self.tabs.currentWidget() is self.editor and self.editor.photo_id is not None:
            ids = [self.editor.photo_id]
        else:
            ids = self.library_view.selected_photo_ids()
        if not ids:
            self.status_text.setText("Select the photos to delete first")
            return
        if ask:
            answer = QMessageBox.question(
                self,
                "Delete photos",
                f"Move {plural(len(ids), 'photo')} to the trash? You can undo this "
                "(Edit ▸ Undo) or restore them from Photo ▸ Deleted Photos… until the trash "
                "is emptied. Your original files are not touched.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if not self._library_writable():
            return
        self.library_undo.push(TrashCommand(self.session, ids, done=self.status_text.setText))

    def _library_writable(self) -> bool:
        reason = self.session.library.read_only_reason
        if reason:
            QMessageBox.warning(self, "footlog", reason[:1].upper() + reason[1:])
        return reason is None

    def show_deleted_photos(self) -> None:
        from footlog.gui.trash_view import DeletedPhotosDialog

        dialog = DeletedPhotosDialog(self.session, self.library_undo, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.deleted_dialog = dialog

    def _close_photo_if_gone(self) -> None:
        """The open photo was moved to the trash (here, or by the command line)."""
        from footlog.storage.photo_store import get_photo

        if self.editor.photo_id is None:
            return
        try:
            get_photo(self.session.library, self.editor.photo_id)
        except LibraryError:
            self.editor.close_photo()

    def _fill_people_menu(self) -> None:
        self.people_menu.clear()
        current = self.session.person
        for person in self.session.library.people():
            action = self.people_menu.addAction(person.name)
            action.setCheckable(True)
            action.setChecked(person == current)
            action.triggered.connect(lambda _=False, p=person: self.session.set_person(p))
        self.people_menu.addSeparator()
        self._action(self.people_menu, "&Add Person…", self.add_person)

    def add_person(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(
            self, "Add a person", "Name (a family can share one library):"
        )
        if not ok or not name.strip():
            return
        try:
            person = self.session.library.add_person(name)
        except LibraryError as exc:
            QMessageBox.warning(self, "footlog", str(exc))
            return
        self.session.set_person(person)
        self.status_text.setText(f"Now showing {person.name}'s photos and runs")

    def choose_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import photos",
            str(Path.home()),
            "Photos (" + " ".join(f"*{s}" for s in sorted(PHOTO_SUFFIXES)) + ");;All files (*)",
        )
        if files:
            self.import_photos([Path(f) for f in files])

    def import_photos(self, paths: list[Path], ask: bool = True) -> None:
        """Show the import dialog, then import and measure in the background."""
        if self.worker is not None:
            QMessageBox.information(self, "footlog", "An import is already running.")
            return
        files = list(walk_photo_paths(paths))
        if not files:
            QMessageBox.information(self, "footlog", "No photos were found there.")
            return
        overrides = None
        if ask:
            dialog = ImportDialog(
                files, self, ask_paper=self.suggested_paper() if self.paper_unset() else None
            )
            if dialog.exec() != ImportDialog.DialogCode.Accepted:
                return
            overrides = dialog.overrides()
            paper = dialog.chosen_paper()
            if paper is not None:
                self.set_library_paper(paper, offer_remeasure=False)
        job = photo_import_job(self.session.root, self.session.person.name, files, overrides)
        self.start_worker(Worker(job), f"Importing {len(files)} photos…", self._import_done)

    def measure_left_over(self) -> None:
        """Measure photos still `pending` whose measuring process is gone."""
        from footlog.gui.workers import measure_again_job
        from footlog.storage.photo_store import orphaned_pending

        ids = orphaned_pending(self.session.library)
        if ids and self.worker is None:
            job = measure_again_job(self.session.root, ids)
            self.start_worker(
                Worker(job),
                f"Measuring {len(ids)} photo(s) left unmeasured…",
                self._measured,
                verb="Measuring",
            )

    def _measured(self, changes) -> None:
        self._finish_worker()
        self.session.photos_changed.emit()
        self.status_text.setText(f"{len(changes)} photo(s) measured")

    def start_worker(
        self, worker: Worker, text: str, done, verb: str = "Importing and measuring"
    ) -> None:
        """Run `worker` with the progress bar and Cancel; `verb` heads each progress line."""
        self.session.pause_watch()
        self._work_verb = verb
        self.worker = worker
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status_text.setText(text)
        worker.progress.connect(self._worker_progress)
        worker.finished.connect(done)
        worker.failed.connect(self._worker_failed)
        worker.start()

    def _worker_progress(self, done: int, total: int, what: str) -> None:
        if total == 0:  # work without a count: a busy bar and what is being done
            self.progress.setRange(0, 0)
            self.status_text.setText(f"{what[:1].upper()}{what[1:]}…")
            return
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if what != "done":
            self.status_text.setText(f"{self._work_verb} {what} ({done + 1} of {total})")
        # Show photos as they arrive rather than all at the end.
        if done and done % 5 == 0:
            self.session.photos_changed.emit()

    def _finish_worker(self) -> None:
        if self.worker is not None:
            self.worker.wait()
            self.session.resume_watch()
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()

    def _import_done(self, report) -> None:
        self._finish_worker()
        self.session.photos_changed.emit()
        added, dup = len(report.of("added")), len(report.of("duplicate"))
        errors = report.of("error")
        self.status_text.setText(
            f"{added} photo(s) imported, {dup} already in the library, {len(errors)} not imported"
        )
        if errors:
            lines = "\n".join(f"• {o.path.name}: {o.reason}" for o in errors[:30])
            more = f"\n… and {len(errors) - 30} more" if len(errors) > 30 else ""
            QMessageBox.warning(
                self,
                "Some files were not imported",
                f"These files were not imported:\n{lines}{more}\n\nThe other photos were imported.",
            )

    def _worker_failed(self, reason: str) -> None:
        self._finish_worker()
        self.session.photos_changed.emit()
        QMessageBox.critical(
            self, "footlog", f"The work stopped: {reason}\nWhat was finished before is kept."
        )

    def cancel_work(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status_text.setText("Cancelling after the current photo…")

    # -- other actions -----------------------------------------------------------------

    def runs_view_import(self) -> None:
        self.tabs.setCurrentWidget(self.runs_view)
        self.runs_view.import_files()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About footlog",
            f"<b>footlog {__version__}</b><p>Track the structure of your feet "
            "against barefoot mileage.</p><p>Measures are photographic, not "
            "radiographic; see the methods in the report.</p>",
        )

    # -- drag and drop, geometry ---------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # Let the drop finish before the dialog opens (some platforms block otherwise).
            QTimer.singleShot(0, lambda: self.import_photos(paths))

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)

    def closeEvent(self, event) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
        self.editor.wait_for_detector()
        wait_for_workers()  # a job finishing after the window is gone would abort Qt
        self.library_view.loader.clear_pending()
        self.library_view.loader.wait()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("library", str(self.session.root))
        super().closeEvent(event)


def _activate(stack: QUndoStack) -> None:
    # Stacks emit indexChanged while the window is being destroyed, too.
    if shiboken6.isValid(stack):
        stack.setActive(True)
