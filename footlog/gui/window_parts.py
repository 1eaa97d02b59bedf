"""What the main window's mixins (the *_actions modules) use of the window, told to the
type checker: each mixin derives from `MainWindowParts` while type checking and from
`object` at run time, where `MainWindow` brings these parts itself."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget

from footlog.gui.background import Worker
from footlog.gui.library_view import LibraryView
from footlog.gui.photo_editor import PhotoEditor
from footlog.gui.session import LibrarySession


class MainWindowParts(QMainWindow):
    """The main window's attributes and methods that its mixins call."""

    settings: QSettings
    session: LibrarySession
    worker: Worker | None
    tabs: QTabWidget
    library_view: LibraryView
    editor: PhotoEditor
    library_undo: QUndoStack
    status_text: QLabel

    @abstractmethod
    def _action(self, menu: QMenu, text: str, slot: Callable[..., Any],
                shortcut: Any = None, tip: str = "") -> QAction: ...

    @abstractmethod
    def switch_library(self, root: Path) -> None: ...

    @abstractmethod
    def open_photo(self, photo_id: int) -> None: ...

    @abstractmethod
    def _library_writable(self) -> bool: ...

    @abstractmethod
    def choose_photos(self) -> None: ...

    @abstractmethod
    def _measured(self, changes: Any) -> None: ...

    @abstractmethod
    def start_worker(self, worker: Worker, text: str, done: Callable[..., Any],
                     verb: str = "Importing and measuring") -> None: ...

    @abstractmethod
    def _import_done(self, report: Any) -> None: ...

    @abstractmethod
    def _finish_worker(self) -> None: ...

    @abstractmethod
    def suggested_paper(self) -> str: ...
