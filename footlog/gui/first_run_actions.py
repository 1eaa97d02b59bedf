"""The empty library's buttons: import photos, open the demo library, read how to take photos.

A mixin of the main window: it uses the window's `library_view`, `choose_photos`,
`start_worker`, `_finish_worker`, `switch_library` and status line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from footlog.gui.background import Worker

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


class FirstRunActionsMixin(MainWindowParts):
    """Wires the first-run panel of the Photos tab to the window's actions."""

    def connect_first_run(self) -> None:
        view = self.library_view
        view.import_requested.connect(self.choose_photos)
        view.demo_requested.connect(self.open_demo_library)
        # Help ▸ Taking Photos (help_actions), when the window has it; the panel's own
        # words say the essentials either way.
        show_help = getattr(self, "show_capture_help", None)
        view.empty.set_help_available(show_help is not None)
        if show_help is not None:
            view.photo_help_requested.connect(show_help)

    def open_demo_library(self) -> None:
        """Build the demo library in a temporary folder (in the background: it imports and
        measures a dozen photos) and open the window on it."""
        from footlog.demo import build_demo_library, demo_library_dir

        if self.worker is not None:
            QMessageBox.information(self, "footlog", "Wait until the current work finishes.")
            return
        root = demo_library_dir()

        def job(progress, _cancelled) -> Path:
            return build_demo_library(root, progress=progress)

        self.start_worker(Worker(job), "Building the demo library…", self._demo_built,
                          verb="Building the demo library:")

    def _demo_built(self, root: Path) -> None:
        self._finish_worker()
        self.switch_library(root)
