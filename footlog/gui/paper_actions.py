"""Edit ▸ Preferences… and the library's paper setting.

A mixin of the main window: it uses the window's session, status line, `_library_writable`
and background worker (`start_worker`, `_measured`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from footlog.gui.background import Worker
from footlog.gui.preferences_dialog import PAPER_NAMES, PreferencesDialog
from footlog.gui.workers import measure_again_job

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


class PaperActionsMixin(MainWindowParts):
    """The paper a plain page under the foot is taken to be when its shape cannot tell."""

    def library_paper(self) -> str:
        from footlog.library_measuring import library_paper

        return library_paper(self.session.library)

    def paper_unset(self) -> bool:
        """True while the library has never been told its paper (the first import asks)."""
        from footlog.measuring import PAPER_SETTING

        return self.session.library.setting(PAPER_SETTING) is None

    def suggested_paper(self) -> str:
        """The library's paper when set, else the one the system's locale uses."""
        from footlog.gui.file_actions import default_paper

        return self.library_paper() if not self.paper_unset() else default_paper()

    def edit_preferences(self) -> None:
        dialog = PreferencesDialog(self.library_paper(), self)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        self.set_library_paper(dialog.paper())

    def set_library_paper(self, paper: str, offer_remeasure: bool = True) -> None:
        """Store `paper` for the library; when photos were measured with the other paper
        assumed, offer to measure them again (their scale changes by ~3 % to 9 %)."""
        from footlog.measuring import PAPER_SETTING
        from footlog.storage.photo_store import photos_with_assumed_paper

        before = self.library_paper()
        unset = self.paper_unset()
        if (paper == before and not unset) or not self._library_writable():
            return
        self.session.library.set_setting(PAPER_SETTING, paper)
        self.status_text.setText(f"Paper under the foot: {PAPER_NAMES[paper]}")
        if paper == before or not offer_remeasure:
            return
        ids = photos_with_assumed_paper(self.session.library, before)
        if not ids or self.worker is not None:
            return
        answer = QMessageBox.question(
            self,
            "footlog",
            f"{len(ids)} photo(s) were measured with their page taken to be "
            f"{PAPER_NAMES[before]}, because its shape could not tell. Measure them again "
            f"as {PAPER_NAMES[paper]}? (Landmarks you placed are kept.)",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.start_worker(
                Worker(measure_again_job(self.session.root, ids)),
                f"Measuring {len(ids)} photo(s) again…",
                self._measured,
                verb="Measuring",
            )
