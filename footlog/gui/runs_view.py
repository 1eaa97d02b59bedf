"""The Runs tab: the run log, its totals per period, and the gear mapping.

Hand edits go through the GUI's own library connection (they are quick); imports run in a
QThread with a connection of their own, because an SQLite connection must not be shared
across threads and reading a big Strava export takes seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.mileage import Period, totals
from footlog.domain.runs import Footwear
from footlog.gui.background import Worker
from footlog.gui.gear_view import GearView
from footlog.gui.run_dialog import RunDialog, import_summary_box
from footlog.gui.run_models import (
    COLUMN,
    RUN_ID_ROLE,
    RunFilterProxy,
    RunTableModel,
    TotalsModel,
)
from footlog.gui.session import LibrarySession
from footlog.gui.workers import run_import_job
from footlog.storage.errors import STORAGE_ERRORS
from footlog.storage.run_store import SaveSummary, add_run, delete_runs, list_runs, update_run

EMPTY_TEXT = (
    "No runs yet — import a Strava export, Garmin CSV, GPX, TCX or FIT file, or add a run by hand"
)
RUN_FILE_FILTER = ("Run logs (*.csv *.gpx *.tcx *.fit *.gz *.zip *summarizedActivities.json);;"
                   "All files (*)")
_STORAGE_ERRORS = STORAGE_ERRORS
# What stops a run from being saved: the library's errors, or values the run refuses.
_SAVE_ERRORS: tuple[type[BaseException], ...] = (*STORAGE_ERRORS, ValueError)


class RunLogView(QWidget):
    """The Runs tab. Create with the session; it reloads on `session.runs_changed`, and
    emits that signal after each change it makes (so it reloads itself through it)."""

    import_finished = Signal(str)  # the summary shown, for whoever wants a status line

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog: RunDialog | None = None
        self.summary_box: QMessageBox | None = None
        self.last_import_message = ""
        self._worker: Worker | None = None
        self.setAcceptDrops(True)
        self._build_actions()
        self._build()
        session.runs_changed.connect(self.reload)
        self.reload()

    # -- building ---------------------------------------------------------------------------

    def _action(self, text: str, keys: str, tip: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys.split("|") if k])
        # Only while focus is in this tab: other tabs bind Delete and Return too.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({keys.split('|')[0]})" if keys else tip)
        action.triggered.connect(lambda: slot())
        return action

    def _build_actions(self) -> None:
        self.add_action = self._action("Add run…", "Ctrl+Shift+N", "Add a run", self.add_run)
        self.edit_action = self._action("Edit…", "Return|Enter", "Edit the run", self.edit_run)
        self.delete_action = self._action("Delete", "Del", "Delete runs", self.delete_runs)
        self.import_action = self._action(
            "Import run files…",
            "Ctrl+Shift+I",
            "Import Strava or Garmin CSV, GPX, TCX, FIT files or zips",
            self.import_files,
        )
        self.import_folder_action = self._action(
            "Import folder…", "", "Import every run log in a folder", self.import_folder
        )
        self.addActions([self.add_action, self.import_action])

    def _build(self) -> None:
        toolbar = QToolBar("Runs")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.add_action, self.edit_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.import_action, self.import_folder_action])
        self.footwear_filter = QComboBox()
        self.footwear_filter.addItem("All footwear", None)
        for footwear in Footwear:
            self.footwear_filter.addItem(footwear.value, footwear)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter by name or gear")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setMinimumWidth(220)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the importers do not report per-file progress
        self.progress.setMaximumWidth(160)
        self.progress_label = QLabel()
        self.busy = _row(self.progress, self.progress_label, 1)
        self.busy.hide()

        self.model = RunTableModel(self)
        self.proxy = RunFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._run_table()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self._empty_page())
        self.gear_view = GearView(self.session)
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.addWidget(self._totals_panel())
        self.bottom.addWidget(self.gear_view)
        self.bottom.setSizes([600, 400])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.stack)
        split.addWidget(self.bottom)
        split.setSizes([420, 230])

        layout = QVBoxLayout(self)
        layout.addWidget(_row(toolbar, 1, QLabel("Show:"), self.footwear_filter, self.text_filter))
        layout.addWidget(self.busy)
        layout.addWidget(split, 1)
        self.footwear_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_footwear(self.footwear_filter.currentData())
        )
        self.text_filter.textChanged.connect(self.proxy.set_text)
        self.gear_view.gear_changed.connect(lambda _name: self.session.runs_changed.emit())

    def _run_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(COLUMN["start"], Qt.SortOrder.DescendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setSectionResizeMode(
            COLUMN["name"], QHeaderView.ResizeMode.Stretch
        )
        table.addActions([self.edit_action, self.delete_action])
        table.doubleClicked.connect(lambda _index: self.edit_run())
        table.selectionModel().selectionChanged.connect(self._update_actions)
        return table

    def _empty_page(self) -> QWidget:
        self.empty_message = QLabel(f"{EMPTY_TEXT}.\nYou can also drop files or folders here.")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setWordWrap(True)
        add, imp = QPushButton("Add run…"), QPushButton("Import run files…")
        add.clicked.connect(self.add_run)
        imp.clicked.connect(lambda: self.import_files())
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_message)
        layout.addWidget(_row(1, add, imp, 1))
        layout.addStretch(2)
        return page

    def _totals_panel(self) -> QWidget:
        self.period_combo = QComboBox()
        for label, period in (("per week", "week"), ("per month", "month"), ("per year", "year")):
            self.period_combo.addItem(label, period)
        self.period_combo.setCurrentIndex(1)
        self.period_combo.currentIndexChanged.connect(lambda _i: self._update_totals())
        self.totals_model = TotalsModel(self)
        self.totals_table = QTableView()
        self.totals_table.setModel(self.totals_model)
        self.totals_table.verticalHeader().hide()
        self.totals_table.verticalHeader().setDefaultSectionSize(
            self.totals_table.fontMetrics().height() + 8
        )
        self.totals_table.setAlternatingRowColors(True)
        self.totals_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Distance</b> counted toward mileage")
        layout.addWidget(_row(title, self.period_combo, 1))
        layout.addWidget(self.totals_table)
        return panel

    # -- data -------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the person's runs again and refresh table, totals and gear."""
        try:
            rows = list_runs(self.session.library, self.session.person)
        except _STORAGE_ERRORS as exc:
            self._error("Could not read the runs", exc, "Reopen the library.")
            return
        selected = self.selected_ids()
        first_rows = self.model.rowCount() == 0
        self.model.set_rows(rows)
        if first_rows:
            # Measured on the first rows only: sizing to all of ten years of runs took a
            # third of a second at every reload (e.g. when another footlog added a run).
            self.table.horizontalHeader().setResizeContentsPrecision(200)
            self.table.resizeColumnsToContents()
        # A long shoe name must not squeeze the run names (the tooltip has it whole).
        self.table.setColumnWidth(COLUMN["gear"], min(self.table.columnWidth(COLUMN["gear"]), 190))
        self.stack.setCurrentIndex(0 if rows else 1)
        self.bottom.setVisible(bool(rows))  # empty totals and gear would only add noise
        self._update_totals()
        self.gear_view.reload(rows)
        self.select_runs(selected)
        self._update_actions()

    def _update_totals(self) -> None:
        period: Period = self.period_combo.currentData()
        self.totals_model.set_totals(totals(self.model.rows(), period))

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(index.data(RUN_ID_ROLE)) for index in rows]

    def select_runs(self, run_ids: list[int]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(RUN_ID_ROLE) in run_ids:
                selection.select(index, flags)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _update_actions(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.edit_action.setEnabled(count == 1)
        self.delete_action.setEnabled(count > 0)
        self.import_action.setEnabled(self._worker is None)
        self.import_folder_action.setEnabled(self._worker is None)

    # -- add, edit, delete ------------------------------------------------------------------

    @Slot()
    def add_run(self) -> None:
        self._open_dialog(RunDialog(self, known_gear=self.gear_view.names()), None)

    @Slot()
    def edit_run(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return
        row = self.model.row_at(self.proxy.mapToSource(rows[0]).row())
        self._open_dialog(RunDialog(self, known_gear=self.gear_view.names(), row=row), row["id"])

    def _open_dialog(self, dialog: RunDialog, run_id: int | None) -> None:
        # open(), not exec(): window-modal without a nested event loop.
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._dialog_done(dialog, run_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _dialog_done(self, dialog: RunDialog, run_id: int | None) -> None:
        lib, person = self.session.library, self.session.person
        try:
            if run_id is None:
                run_id = add_run(lib, person, dialog.new_run())
            elif changes := dialog.changes():
                update_run(lib, person, run_id, **changes)
        except _SAVE_ERRORS as exc:
            self._error("Could not save the run", exc, "Check the values and try again.")
            return
        self.session.runs_changed.emit()
        self.table.clearSelection()
        self.select_runs([run_id])

    @Slot()
    def delete_runs(self) -> None:
        if not (ids := self.selected_ids()):
            return
        what = "this run" if len(ids) == 1 else f"these {len(ids)} runs"
        answer = QMessageBox.question(
            self,
            "Delete runs",
            f"Delete {what}? Runs imported from files come back if you import them again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            # The same function as `footlog runs delete`: all of them, or none.
            delete_runs(self.session.library, self.session.person, ids)
        except _STORAGE_ERRORS as exc:
            self._error("Could not delete", exc, "Try again; if it persists, reopen footlog.")
        self.session.runs_changed.emit()

    # -- importing ----------------------------------------------------------------------------

    @property
    def importing(self) -> bool:
        return self._worker is not None

    @Slot()
    def import_files(self, paths: list[Path] | None = None) -> None:
        """Ask for files (or take `paths`) and import them in the background."""
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Import run files", "", RUN_FILE_FILTER)
            paths = [Path(n) for n in names]
        if paths:
            self.start_import(paths)

    @Slot()
    def import_folder(self) -> None:
        """Ask for a folder (an unpacked Strava export, a watch's folder) and import it."""
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of run files")
        if folder:
            self.start_import([Path(folder)])

    def start_import(self, paths: list[Path]) -> None:
        if self._worker is not None:
            self._error("An import is running", None, "Wait for it to finish, then try again.")
            return
        worker = Worker(run_import_job(self.session.root, self.session.person, paths))
        worker.finished.connect(self._import_result)
        worker.failed.connect(self._import_failed)
        self._worker = worker
        more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
        self.progress_label.setText(f"Importing {paths[0].name}{more}…")
        self.busy.show()
        self._update_actions()
        worker.start()

    def _import_ended(self) -> None:
        self._worker = None
        self.busy.hide()
        self._update_actions()

    @Slot(object)
    def _import_result(self, result: tuple[SaveSummary, list[str]]) -> None:
        # A bound slot, so that it runs in the window's thread (a lambda would run in the
        # worker's).
        self._import_done(*result)

    def _import_done(self, summary: SaveSummary, problems: list[str]) -> None:
        self._import_ended()
        box = import_summary_box(self, summary, problems)
        self.last_import_message = f"{box.text()}\n\n{box.informativeText()}".strip()
        self.summary_box = box
        box.open()  # not exec(): the summary must not block the window
        self.import_finished.emit(self.last_import_message)
        if summary.added or summary.replaced:
            self.session.runs_changed.emit()

    @Slot(str)
    def _import_failed(self, message: str) -> None:
        self._import_ended()
        self.last_import_message = f"The import failed: {message}"
        self._error("The import failed", message, "Check that the library folder is writable.")

    # -- drag and drop ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if self._worker is None and any(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    def _error(self, title: str, exc: object, advice: str) -> None:
        text = f"{title}." if exc is None else f"{title}: {exc}"
        QMessageBox.warning(self, title, f"{text}\n\n{advice}")


def _row(*items: QWidget | int) -> QWidget:
    """Widgets side by side in a margin-less row; an int is a stretch of that factor."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
        else:
            layout.addWidget(item)
    return row
