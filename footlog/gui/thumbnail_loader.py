"""Thumbnails made and read off the GUI thread, so scrolling never waits for a decode."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage

from footlog.gui.background import PoolJob, PoolSignals
from footlog.imaging.thumbnails import ensure_thumbnail

DISPLAY_SIDE = 150  # px: the size thumbnails are kept at in memory


def _make_thumbnail(photo: Path, cache_dir: Path, sha256: str,
                    emit: Callable[[object], None]) -> None:
    """Make (or read) a photo's thumbnail and emit (sha256, image scaled for display, None),
    or (sha256, None, reason) when the photo cannot give one."""
    try:
        path = ensure_thumbnail(photo, cache_dir, sha256)
        image = QImage(str(path))
        if image.isNull():
            raise OSError("unreadable thumbnail")
        image = image.scaled(
            DISPLAY_SIDE,
            DISPLAY_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    except Exception as exc:  # a bad photo must not take the window down
        emit((sha256, None, str(exc)))
        return
    emit((sha256, image, None))


class ThumbnailLoader(QObject):
    """Asks for thumbnails by SHA-256 and announces each one when it is ready."""

    ready = Signal(str)  # sha256

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self._images: dict[str, QImage] = {}
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._signals = PoolSignals()
        self._signals.result.connect(self._on_result)
        self._pool = QThreadPool(self)
        # Leave a core for the GUI thread and for imports.
        self._pool.setMaxThreadCount(max(1, QThreadPool.globalInstance().maxThreadCount() - 1))

    def image(self, sha256: str, photo: Path) -> QImage | None:
        """The thumbnail if it is ready; otherwise start making it and return None."""
        found = self._images.get(sha256)
        if found is not None or sha256 in self._pending or sha256 in self._failed:
            return found
        self._pending.add(sha256)
        self._pool.start(PoolJob(partial(_make_thumbnail, photo, self.cache_dir, sha256),
                                 self._signals))
        return None

    def clear_pending(self) -> None:
        """Drop queued jobs (e.g. when the filter changes and they are no longer visible)."""
        self._pool.clear()
        self._pending.clear()

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_result(self, result: tuple[str, QImage | None, str | None]) -> None:
        sha256, image, reason = result
        if image is None:
            self._on_failed(sha256, reason or "")
        else:
            self._on_ready(sha256, image)

    def _on_ready(self, sha256: str, image: QImage) -> None:
        self._pending.discard(sha256)
        self._images[sha256] = image
        self.ready.emit(sha256)

    def _on_failed(self, sha256: str, _reason: str) -> None:
        self._pending.discard(sha256)
        self._failed.add(sha256)
        self.ready.emit(sha256)
