"""A folder a phone syncs to (Syncthing, Nextcloud, Dropbox, iCloud Drive), watched for new
photos: each is imported once it has stopped growing.

The folder is scanned every few seconds rather than told of changes by the operating system:
sync clients write files in pieces, rename them into place, and network and cloud folders
often send no change events at all; a listing of a folder of photos costs a few
milliseconds. A file is ready when two scans SETTLE_S apart see the same size and
modification time (a file still being written changes between them). Files already seen
ready are not offered again, and the library refuses a photo it holds already (by its
SHA-256), so a file that comes back under another name is not imported twice.

`FolderWatch.scan` is pure bookkeeping over a listing, with the time given, so that the
window (a timer) and the command line (`footlog import --watch DIR`, a loop) share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from footlog.storage.photo_store import PHOTO_SUFFIXES

SCAN_EVERY_S = 5.0  # how often the window and the command line look at the folder
SETTLE_S = 2.0  # a file unchanged this long (size and time) has stopped growing


@dataclass(frozen=True)
class _Seen:
    size: int
    mtime_ns: int
    since: float  # when this size and time were first seen (the caller's clock, s)


@dataclass
class FolderWatch:
    """What is known of a watched folder between scans."""

    folder: Path
    settle_s: float = SETTLE_S
    _pending: dict[Path, _Seen] = field(default_factory=dict)
    _done: set[tuple[Path, int, int]] = field(default_factory=set)

    def scan(self, now: float, listing: Iterable[tuple[Path, int, int]] | None = None
             ) -> list[Path]:
        """The photos that have become ready since the last scan. `now`: the time (s, any
        monotonic clock); `listing`: (path, size, mtime_ns) of the folder's photos, read
        from the folder when None."""
        ready = []
        present = set()
        for path, size, mtime_ns in (self.list_photos() if listing is None else listing):
            present.add(path)
            if (path, size, mtime_ns) in self._done:
                continue
            seen = self._pending.get(path)
            if seen is None or (seen.size, seen.mtime_ns) != (size, mtime_ns):
                self._pending[path] = _Seen(size, mtime_ns, now)  # new, or still growing
            elif size > 0 and now - seen.since >= self.settle_s:
                ready.append(path)
                self._done.add((path, size, mtime_ns))
                del self._pending[path]
        for gone in set(self._pending) - present:  # deleted or renamed before it settled
            del self._pending[gone]
        return sorted(ready)

    def know(self, listing: Iterable[tuple[Path, int, int]] | None = None) -> None:
        """Take every photo there now as already seen (watching starts from here on)."""
        for path, size, mtime_ns in (self.list_photos() if listing is None else listing):
            self._done.add((path, size, mtime_ns))

    def list_photos(self) -> list[tuple[Path, int, int]]:
        """(path, size, mtime_ns) of the photos in the folder and its subfolders; hidden
        files (a sync client's partial downloads: ".name.jpg.tmp", ".syncthing.*") are left
        out."""
        out = []
        for root, dirs, files in os.walk(self.folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith(".") or Path(name).suffix.lower() not in PHOTO_SUFFIXES:
                    continue
                path = Path(root) / name
                try:
                    st = path.stat()
                except OSError:  # gone between the listing and now
                    continue
                out.append((path, st.st_size, st.st_mtime_ns))
        return out
