"""The open library as the window sees it: one object, with signals when data changes.

Views never talk to each other; they change data through the session (or a worker that
opens its own connection) and listen to its signals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from footlog.storage.library import Library, Person, change_counters


class LibrarySession(QObject):
    """Holds the open `Library` and the person being looked at."""

    photos_changed = Signal()  # photos added, removed or re-measured
    photo_changed = Signal(int)  # one photo's facts, landmarks or measures changed
    runs_changed = Signal()
    events_changed = Signal()
    person_changed = Signal()

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        people = library.people()
        last = library.setting("gui.person")
        chosen = [p for p in people if p.name == last]
        # A new library gets its default person; otherwise the person last looked at.
        self._person = chosen[0] if chosen else (people[0] if people else library.person())
        self._paused = 0  # background jobs of this window writing now
        self._seen_version: int | None = None  # None: not watching
        self._seen_counters: dict[str, int] = {}
        self._watch: QTimer | None = None

    @classmethod
    def open(cls, root: Path | str | None, parent: QObject | None = None) -> LibrarySession:
        return cls(Library.open(root), parent)

    @property
    def root(self) -> Path:
        return self.library.root

    @property
    def person(self) -> Person:
        return self._person

    def set_person(self, person: Person) -> None:
        if person != self._person:
            self._person = person
            self.library.set_setting("gui.person", person.name)
            self.person_changed.emit()
            self.photos_changed.emit()
            self.runs_changed.emit()
            self.events_changed.emit()

    # -- changes made by another process (the command line, a second window) ------------

    def watch_outside_changes(self, interval_ms: int = 1500) -> None:
        """Poll SQLite's `PRAGMA data_version` and reload the views when another
        connection has committed. The poll costs microseconds and reads no table."""
        self._seen_version = self._data_version()
        self._seen_counters = change_counters(self.library)
        self._watch = QTimer(self)
        self._watch.setInterval(interval_ms)
        self._watch.timeout.connect(self.check_outside_changes)
        self._watch.start()

    def _data_version(self) -> int:
        return int(self.library.db.execute("PRAGMA data_version").fetchone()[0])

    def pause_watch(self) -> None:
        """The window's own background work is writing: it refreshes the views itself."""
        self._paused += 1

    def resume_watch(self) -> None:
        self._paused = max(0, self._paused - 1)
        if self._seen_version is not None:
            self._seen_version = self._data_version()
            self._seen_counters = change_counters(self.library)

    def check_outside_changes(self) -> bool:
        """Reload the views if the database changed underneath; True when it did."""
        if self._paused or self._seen_version is None:
            return False
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._seen_version = version
        counters = change_counters(self.library)
        changed = {k for k, v in counters.items() if self._seen_counters.get(k) != v}
        self._seen_counters = counters
        # Each view reloads only if its tables changed (the runs table of ten years of
        # runs takes a sixth of a second to reload).
        if "people" in changed:
            self.person_changed.emit()
        if "photos" in changed:
            self.photos_changed.emit()
        if "runs" in changed:
            self.runs_changed.emit()
        if "events" in changed:
            self.events_changed.emit()
        return bool(changed)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.stop()
        self.library.close()
