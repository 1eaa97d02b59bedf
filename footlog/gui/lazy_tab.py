"""A tab page that builds its view the first time it is shown.

The Timeline and Compare views import matplotlib and OpenCV (about 1.3 s together on a
2-core machine); building them on demand keeps the window's start-up fast.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds `factory()`'s widget once it has been asked for or shown."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._view: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._view is not None

    def view(self) -> QWidget:
        if self._view is None:
            self._view = self._factory()
            self._layout.addWidget(self._view)
        if self.isVisible() and not self._view.isVisible():
            self._view.show()  # views load their data in their own showEvent
        return self._view

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.view()
        # A child made during its parent's showEvent is shown only after it: finish then.
        QTimer.singleShot(0, self.view)
