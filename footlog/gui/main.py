"""Starting the window: `footlog` with no command."""

from __future__ import annotations

import sys
from importlib.resources import as_file, files
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from footlog import __version__
from footlog.crash_log import write_crash_log
from footlog.gui.main_window import MainWindow
from footlog.gui.session import LibrarySession
from footlog.storage.database import LibraryError
from footlog.storage.library import default_library_dir


def make_app() -> QApplication:
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("footlog")
    app.setOrganizationName("footlog")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.footlog.footlog")
    app.setWindowIcon(app_icon())
    return app


def report_error_in_window(kind, exc, tb) -> None:
    """An exception that escaped a slot: say it in a message box instead of dying silently.

    A refused change (read-only or damaged library, full disk) is an expected sentence; any
    other exception is a bug, whose traceback goes to the log folder for a report.
    """
    if isinstance(exc, LibraryError):
        text = str(exc)
        text = text[:1].upper() + text[1:]
    else:
        log = write_crash_log(exc)
        text = (
            f"footlog met an internal error ({kind.__name__}: {exc}). What was saved before "
            f"is kept. Details for a bug report: {log}"
        )
    if QApplication.instance() is not None:
        QMessageBox.warning(QApplication.activeWindow(), "footlog", text)
    else:
        sys.__excepthook__(kind, exc, tb)


def app_icon() -> QIcon:
    """The application icon at every size shipped in assets/icons."""
    icon = QIcon()
    folder = files("footlog.assets") / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with as_file(folder / f"footlog-{size}.png") as path:
            icon.addFile(str(path), QSize(size, size))
    return icon


def open_window(library: Path | None, settings: QSettings | None = None) -> MainWindow:
    """Open the main window on `library`, else the last library used, else the default."""
    settings = settings or QSettings("footlog", "footlog")
    root = library or (
        Path(str(settings.value("library"))) if settings.value("library") else default_library_dir()
    )
    session = LibrarySession.open(root)
    window = MainWindow(session, settings)
    window.show()
    return window


def run_gui(library: Path | None = None) -> int:
    app = make_app()
    sys.excepthook = report_error_in_window
    try:
        window = open_window(library)
    except LibraryError as exc:
        QMessageBox.critical(None, "footlog", f"The library cannot be opened:\n{exc}")
        return 1
    window.raise_()
    return app.exec()


def render_check(library: Path, settings_file: Path) -> str:
    """Open the window on `library` and render it once (for `footlog self-check`)."""
    app = make_app()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = open_window(library, settings)
    app.processEvents()
    image = window.grab().toImage()
    window.close()
    if image.isNull() or image.width() < 100:
        raise RuntimeError("the window did not render")
    return f"window rendered {image.width()}x{image.height()} on {app.platformName()}"
