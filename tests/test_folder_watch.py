"""A watched folder: a photo is imported once it has stopped growing, once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from testdata import PHOTOS

from footlog.folder_watch import FolderWatch

A, B = Path("/sync/a.jpg"), Path("/sync/b.jpg")


def test_a_photo_is_ready_once_it_stops_growing() -> None:
    watch = FolderWatch(Path("/sync"), settle_s=2.0)
    assert watch.scan(0.0, [(A, 100, 1)]) == []  # new: watched
    assert watch.scan(1.0, [(A, 5000, 2)]) == []  # still growing
    assert watch.scan(2.5, [(A, 9000, 3)]) == []
    assert watch.scan(4.0, [(A, 9000, 3), (B, 10, 1)]) == []  # A unchanged for 1.5 s only
    assert watch.scan(4.6, [(A, 9000, 3), (B, 10, 1)]) == [A]
    assert watch.scan(6.0, [(A, 9000, 3), (B, 10, 1)]) == [B]
    assert watch.scan(9.0, [(A, 9000, 3), (B, 10, 1)]) == []  # each offered once


def test_an_empty_or_vanished_file_is_never_offered() -> None:
    watch = FolderWatch(Path("/sync"), settle_s=1.0)
    watch.scan(0.0, [(A, 0, 1), (B, 50, 1)])
    assert watch.scan(5.0, [(A, 0, 1)]) == []  # empty: a placeholder; B: gone
    assert watch.scan(9.0, [(A, 0, 1), (B, 50, 1)]) == []  # B back: watched anew
    assert watch.scan(10.5, [(A, 0, 1), (B, 50, 1)]) == [B]


def test_photos_there_when_watching_starts_are_known(tmp_path: Path) -> None:
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", tmp_path / "old.jpg")
    (tmp_path / ".old.jpg.part").write_bytes(b"partial")  # a sync client's partial file
    (tmp_path / "notes.txt").write_text("not a photo")
    watch = FolderWatch(tmp_path, settle_s=0.0)
    assert [p.name for p, _, _ in watch.list_photos()] == ["old.jpg"]
    watch.know()
    assert watch.scan(0.0) == [] and watch.scan(1.0) == []


def test_import_watch_imports_what_arrives(tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", folder / "first.jpg")
    lib = tmp_path / "lib"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "footlog", "--library", str(lib), "import", "--no-measure",
         "--json", "--watch", "--watch-every", "0.5", "--watch-seconds", "8", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(2.5)
    # A phone's sync client writes the photo in two pieces.
    data = (PHOTOS / "ala-jaidi__t.jpg").read_bytes()
    target = folder / "IMG_2001.jpg"
    target.write_bytes(data[: len(data) // 2])
    time.sleep(0.6)
    with target.open("ab") as f:
        f.write(data[len(data) // 2:])
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    # The import of what was there (a JSON list), then a JSON object per photo that came.
    decoder, documents, at = json.JSONDecoder(), [], 0
    while out[at:].strip():
        at += len(out[at:]) - len(out[at:].lstrip())
        document, at = decoder.raw_decode(out, at)
        documents.append(document)
    first, *arrived = documents
    assert [e["result"] for e in first] == ["added"]
    assert [(Path(e["path"]).name, e["result"]) for e in arrived] == [("IMG_2001.jpg", "added")]


def test_the_window_imports_what_arrives_in_the_watched_folder(window, qtbot, tmp_path,
                                                               monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from footlog.storage.photo_store import list_photos

    folder = tmp_path / "phone"
    folder.mkdir()
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", folder / "already_there.jpg")
    old = time.time() - 3600
    os.utime(folder / "already_there.jpg", (old, old))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.watch_action.trigger()
    assert window.folder_watch is not None and window.watch_timer.isActive()
    assert "Watching" in window.status_text.text()
    window.folder_watch.settle_s = 0.0  # no waiting in a test: one unchanged look is enough
    shutil.copy(PHOTOS / "ala-jaidi__t.jpg", folder / "IMG_2001.jpg")
    window.watch_tick()  # first seen
    assert window.worker is None
    window.watch_tick()  # unchanged: imported in the background
    assert window.worker is not None
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    names = [p.original_name for p in list_photos(window.session.library)]
    assert names == ["IMG_2001.jpg"]
    assert "came in" in window.status_text.text() and "IMG_2001.jpg" in window.status_text.text()
    window.stop_watch_action.trigger()
    assert window.folder_watch is None and not window.watch_timer.isActive()
