"""Thumbnails made and read off the GUI thread, so scrolling never waits for a decode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage

from footlog.imaging.thumbnails import ensure_thumbnail

DISPLAY_SIDE = 150  # px: the size thumbnails are kept at in memory


class _Signals(QObject):
    ready = Signal(str, QImage)  # sha256, image scaled for display
    failed = Signal(str, str)  # sha256, reason


class _Job(QRunnable):
    def __init__(self, photo: Path, cache_dir: Path, sha256: str, signals: _Signals) -> None:
        super().__init__()
        self.photo, self.cache_dir, self.sha256, self.signals = photo, cache_dir, sha256, signals

    def run(self) -> None:
        try:
            path = ensure_thumbnail(self.photo, self.cache_dir, self.sha256)
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
            self.signals.failed.emit(self.sha256, str(exc))
            return
        self.signals.ready.emit(self.sha256, image)


class ThumbnailLoader(QObject):
    """Asks for thumbnails by SHA-256 and announces each one when it is ready."""

    ready = Signal(str)  # sha256

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self._images: dict[str, QImage] = {}
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._signals = _Signals()
        self._signals.ready.connect(self._on_ready)
        self._signals.failed.connect(self._on_failed)
        self._pool = QThreadPool(self)
        # Leave a core for the GUI thread and for imports.
        self._pool.setMaxThreadCount(max(1, QThreadPool.globalInstance().maxThreadCount() - 1))

    def image(self, sha256: str, photo: Path) -> QImage | None:
        """The thumbnail if it is ready; otherwise start making it and return None."""
        found = self._images.get(sha256)
        if found is not None or sha256 in self._pending or sha256 in self._failed:
            return found
        self._pending.add(sha256)
        self._pool.start(_Job(photo, self.cache_dir, sha256, self._signals))
        return None

    def clear_pending(self) -> None:
        """Drop queued jobs (e.g. when the filter changes and they are no longer visible)."""
        self._pool.clear()
        self._pending.clear()

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_ready(self, sha256: str, image: QImage) -> None:
        self._pending.discard(sha256)
        self._images[sha256] = image
        self.ready.emit(sha256)

    def _on_failed(self, sha256: str, _reason: str) -> None:
        self._pending.discard(sha256)
        self._failed.add(sha256)
        self.ready.emit(sha256)
