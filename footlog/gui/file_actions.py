"""The File menu's exports: CSV, the PDF report, the calibration sheet and backups.

A mixin of the main window: it uses the window's session, status line and background
worker (`start_worker`, `_finish_worker`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from footlog.gui.background import Worker

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


class FileActionsMixin(MainWindowParts):
    """File ▸ Export CSV, Export Report, Print Calibration Sheet, Back Up Library."""

    def export_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export CSV files into")
        if not folder:
            return
        from footlog.export_csv import export_csv

        try:
            written = export_csv(self.session.library, Path(folder), self.session.person)
        except OSError as exc:
            QMessageBox.warning(self, "footlog", f"Export failed: {exc.strerror or exc}")
            return
        self.status_text.setText(f"Exported {len(written)} CSV files to {folder}")

    def _background_target(self, target: str | None, caption: str, default: str,
                           kinds: str) -> str | None:
        """The file a background job will write: `target`, else asked for; None when the
        person cancels or other work is still running."""
        if self.worker is not None:
            QMessageBox.information(self, "footlog", "Please wait for the current work.")
            return None
        if target is None:
            target, _ = QFileDialog.getSaveFileName(self, caption, default, kinds)
        return target or None

    def export_report(self, target: str | None = None) -> None:
        """Write the PDF report in the background."""
        target = self._background_target(
            target,
            "Save the report",
            f"footlog-report-{self.session.person.name}.pdf",
            "PDF (*.pdf)",
        )
        if not target:
            return
        root, name, out = self.session.root, self.session.person.name, Path(target)

        def job(progress, _cancelled):
            from footlog.report import write_report
            from footlog.storage.library import Library

            with Library.open_for_thread(root) as lib:
                return write_report(
                    lib, lib.person(name), out, progress=lambda text: progress(0, 0, text)
                )

        self.start_worker(Worker(job), "Writing the report…", self._report_done)

    def _report_done(self, path) -> None:
        self._finish_worker()
        self.status_text.setText(f"Report saved: {path}")

    def save_sheet(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "Save the calibration sheet", "footlog-sheet.pdf", "PDF (*.pdf)"
        )
        if not target:
            return
        from footlog.imaging.calibration_sheet import write_sheet

        paper = self.suggested_paper()  # the library's paper, else the locale's
        write_sheet(Path(target), paper)
        self.status_text.setText(f"Saved {target}: print it at 100 % (actual size)")

    def back_up_library(self, target: str | None = None) -> None:
        """Write a backup zip in the background, with progress and Cancel."""
        target = self._background_target(
            target,
            "Back up the library",
            str(Path.home() / f"footlog-backup-{date.today().isoformat()}.zip"),
            "Zip archive (*.zip)",
        )
        if not target:
            return
        root, out = self.session.root, Path(target)

        def job(progress, cancelled):
            from footlog.storage.backup import BackupCancelled, backup_library
            from footlog.storage.library import Library

            with Library.open_for_thread(root) as lib:
                try:
                    return backup_library(lib, out, progress=progress, cancelled=cancelled)
                except BackupCancelled:
                    return None

        self.start_worker(
            Worker(job), "Backing up the library…", self._backup_done, verb="Backing up"
        )

    def _backup_done(self, summary) -> None:
        self._finish_worker()
        if summary is None:
            self.status_text.setText("Backup cancelled; nothing was written")
            return
        self.status_text.setText(
            f"Backup saved: {summary.path} ({summary.photos} photos, "
            f"{summary.bytes / 1e6:,.1f} MB)"
        )


def default_paper() -> str:
    """US Letter where the system's locale uses it, else A4."""
    from PySide6.QtCore import QLocale

    letter = {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
    }
    return "letter" if QLocale().territory() in letter else "a4"
