"""File ▸ Watch Folder…: photos that arrive in a folder a phone syncs to are imported and
measured in the background, each once it has stopped growing (footlog.folder_watch).

A mixin of the main window: it uses the window's settings, worker, status line and
`start_worker`. The folder is remembered and watched again at the next start; photos that
arrived while footlog was closed (since the last look) are imported then. Photos already in
the folder when it is first chosen are left to File ▸ Import Photos… (a phone's synced
folder may hold its whole camera roll).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMenu, QSystemTrayIcon

from footlog.folder_watch import SCAN_EVERY_S, FolderWatch

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object

WATCH_FOLDER = "watch/folder"  # settings: the folder watched, "" for none
WATCH_SINCE = "watch/since"  # settings: when it was last looked at (seconds since 1970)
REMEMBER_EVERY_S = 60.0


class WatchActionsMixin(MainWindowParts):
    """The watched folder."""

    folder_watch: FolderWatch | None

    def _build_watch_actions(self, menu: QMenu) -> None:
        self.watch_action = self._action(
            menu, "&Watch Folder…", self.choose_watch_folder, None,
            "Import new photos as they arrive in a folder your phone syncs to")
        self.stop_watch_action = self._action(
            menu, "Stop Watching Folder", self.stop_watching, None)
        self.stop_watch_action.setEnabled(False)
        self.folder_watch = None
        self.watch_timer = QTimer(self, interval=round(SCAN_EVERY_S * 1000))
        self.watch_timer.timeout.connect(self.watch_tick)
        folder = str(self.settings.value(WATCH_FOLDER, "") or "")
        if folder and Path(folder).is_dir():
            since = float(str(self.settings.value(WATCH_SINCE, 0) or 0))  # str or float
            self.start_watching(Path(folder), since)

    def choose_watch_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Watch a folder for new photos",
            str(self.settings.value(WATCH_FOLDER, "") or Path.home()))
        if folder:
            self.start_watching(Path(folder), time.time())

    def start_watching(self, folder: Path, since: float) -> None:
        """Watch `folder`: photos modified after `since` (s since 1970) count as new."""
        self.folder_watch = FolderWatch(folder)
        self.folder_watch.know([p for p in self.folder_watch.list_photos()
                                if _arrived(p[0]) <= since])
        self.settings.setValue(WATCH_FOLDER, str(folder))
        self._watch_noted = 0.0
        self._remember_look()
        self.stop_watch_action.setEnabled(True)
        self.watch_action.setText(f"&Watch Folder… ({folder.name})")
        self.watch_timer.start()
        self.status_text.setText(
            f"Watching {folder} for new photos: each is imported once it has stopped "
            "growing")

    def stop_watching(self) -> None:
        self.watch_timer.stop()
        self.folder_watch = None
        self.settings.setValue(WATCH_FOLDER, "")
        self.stop_watch_action.setEnabled(False)
        self.watch_action.setText("&Watch Folder…")
        self.status_text.setText("No folder is watched")

    def watch_tick(self) -> None:
        """Look at the folder; import what is ready unless other work is running (the
        next look will find it again)."""
        if self.folder_watch is None or self.worker is not None:
            return
        if self.session.library.read_only_reason:
            return
        ready = self.folder_watch.scan(time.monotonic())
        self._remember_look()
        if not ready:
            return
        from footlog.gui.background import Worker
        from footlog.gui.workers import photo_import_job

        job = photo_import_job(self.session.root, self.session.person.name,
                               ready, None)
        self.start_worker(Worker(job),
                          f"{len(ready)} new photo(s) from {self.folder_watch.folder.name}…",
                          self._watch_done)

    def _watch_done(self, report) -> None:
        self._import_done(report)
        added = report.of("added")
        if not added:
            return
        names = ", ".join(o.path.name for o in added[:3]) + (" …" if len(added) > 3 else "")
        text = (f"{len(added)} new photo(s) came in from "
                f"{self.folder_watch.folder.name if self.folder_watch else 'the folder'}: "
                f"{names}")
        self.status_text.setText(text)
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = getattr(self, "_watch_tray", None)
            if tray is None:
                tray = self._watch_tray = QSystemTrayIcon(self.windowIcon(), self)
                tray.show()
            tray.showMessage("footlog", text)

    def _remember_look(self) -> None:
        """Note when the folder was last looked at, at most once a minute (a look every few
        seconds need not rewrite the settings file each time)."""
        now = time.time()
        if now - getattr(self, "_watch_noted", 0.0) >= REMEMBER_EVERY_S:
            self.settings.setValue(WATCH_SINCE, now)
            self._watch_noted = now


def _arrived(path: Path) -> float:
    """When a file came into the folder (s since 1970): sync clients keep a photo's own
    modification time (when it was taken), so the later of it and the time the file itself
    changed (its inode on Linux and macOS, its creation on Windows) is taken."""
    try:
        st = path.stat()
    except OSError:
        return float("inf")  # unreadable now: looked at again by the next scan
    return max(st.st_mtime, st.st_ctime)
