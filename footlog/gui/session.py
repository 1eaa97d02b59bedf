"""The open library as the window sees it: one object, with signals when data changes.

Views never talk to each other; they change data through the session (or a worker that
opens its own connection) and listen to its signals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from footlog.storage.library import Library, Person


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

    def close(self) -> None:
        self.library.close()
