"""Helpers for driving the window in tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.library_measuring import recompute_library_measures
from footlog.storage.library import Library
from footlog.storage.measure_store import save_detection
from footlog.storage.photo_store import import_photo, update_photo

# A right foot, toes up, in a 64 x 48 photo scaled up: the medial border on the left.
DORSAL_LANDMARKS = {
    "midfoot_medial": (10.0, 40.0),
    "mt1_medial": (10.0, 24.0),
    "hallux_medial": (10.0, 12.0),
    "mt5_lateral": (40.0, 25.0),
    "toe5_lateral": (40.0, 17.0),
    "hallux_tip": (14.0, 4.0),
}


def temp_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def photo_with_landmarks(lib: Library, path: Path) -> int:
    """Import `path` as a right dorsal photo with automatic landmarks already stored."""
    photo_id = import_photo(lib, path, lib.person()).photo_id
    update_photo(lib, photo_id, foot="right", view="dorsal")
    save_detection(lib, photo_id, MeasureResult(
        View.DORSAL, Foot.RIGHT, Status.OK, landmarks=dict(DORSAL_LANDMARKS),
        detector_version="test"))
    recompute_library_measures(lib, photo_id)
    return photo_id


def send_mouse(widget: QWidget, kind, pos: QPoint, button, buttons) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget: QWidget, start: QPoint, end: QPoint, steps: int = 5) -> None:
    """Press at `start`, move in steps with the button held, release at `end`."""
    left = Qt.MouseButton.LeftButton
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, steps + 1):
        p = start + (end - start) * i / steps
        send_mouse(widget, QMouseEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)


def menu_action(window, menu_title: str, text: str):
    """The action called `text` in the menu bar's menu `menu_title` (ampersands ignored)."""
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            for action in top.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} ▸ {text}")
