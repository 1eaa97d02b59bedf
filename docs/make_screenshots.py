"""Regenerate the README's screenshots from the demo library.

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py

Builds a demo library in a temporary folder, opens the window at 1280 x 820 and saves the
Photos, Editor, Runs (and, when present, Timeline) tabs and the Help pages (Measures,
Taking Photos, Keyboard Shortcuts) to docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

from footlog.demo import build_demo_library
from footlog.gui.main import make_app, open_window

OUT = Path(__file__).resolve().parent / "screenshots"
EDITOR_PHOTO = "ala-jaidi__t.jpg"  # a photo whose landmarks show every measure's lines


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    root = build_demo_library(tmp / "library")
    app = make_app()
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = open_window(root, settings)
    window.resize(1280, 820)
    OUT.mkdir(exist_ok=True)

    def shoot() -> None:
        # The status bar names the temporary library's folder: not for the pictures.
        window.status_text.setText("")
        window.library_view.loader.wait()
        app.processEvents()
        window.grab().save(str(OUT / "library.png"))
        photos = window.library_view.source.photos()
        target = next(p["id"] for p in photos if p["original_name"] == EDITOR_PHOTO)
        window.open_photo(target)
        window.editor.wait_for_image()
        app.processEvents()
        window.grab().save(str(OUT / "editor.png"))
        for index in range(window.tabs.count()):
            name = window.tabs.tabText(index).lower()
            if name in ("runs", "timeline", "compare"):
                window.tabs.setCurrentIndex(index)
                app.processEvents()
                window.grab().save(str(OUT / f"{name}.png"))
        for name, show in (("help-measures", window.show_measures_help),
                           ("help-taking-photos", window.show_capture_help),
                           ("help-shortcuts", window.show_shortcuts_help)):
            page = show()
            app.processEvents()
            page.grab().save(str(OUT / f"{name}.png"))
            page.close()
        window.close()
        app.quit()

    QTimer.singleShot(300, shoot)
    app.exec()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    sys.exit(main())
