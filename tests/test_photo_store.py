"""Photo import into a library: originals untouched, duplicates, errors, recovery."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from PIL import Image

from footlog.domain.views import Foot, View
from footlog.storage import photo_store
from footlog.storage.database import LibraryError
from footlog.storage.integrity import check_library
from footlog.storage.library import Library
from footlog.storage.photo_store import (
    delete_photo,
    get_photo,
    import_photo,
    list_photos,
    update_photo,
)


def test_original_is_copied_byte_for_byte_and_left_untouched(library: Library, photo_files):
    source = photo_files[0]
    before = (source.read_bytes(), os.stat(source).st_mtime_ns)
    outcome = import_photo(library, source, library.person())
    assert outcome.result == "added"
    photo = get_photo(library, outcome.photo_id)
    stored = library.photo_path(photo.file_name)
    assert stored.read_bytes() == before[0]
    assert photo.sha256 == hashlib.sha256(before[0]).hexdigest()
    assert stored.name == f"{photo.sha256}.jpg"
    assert (source.read_bytes(), os.stat(source).st_mtime_ns) == before


def test_a_name_with_undecodable_bytes_is_stored_readably(library: Library, photo_files):
    # A name from an old Latin-1 disk: Python holds its bytes as lone surrogates, which
    # SQLite cannot store as text.
    source = photo_files[0].with_name(os.fsdecode(b"caf\xe9 left.jpg"))
    source.write_bytes(photo_files[0].read_bytes())
    outcome = import_photo(library, source, library.person())
    assert outcome.result == "added"
    photo = get_photo(library, outcome.photo_id)
    assert photo.original_name == "caf\ufffd left.jpg"
    assert photo.original_path.endswith("caf\ufffd left.jpg")
    assert photo.foot == "left"


def test_foot_and_view_given_win_over_the_name(library: Library, photo_files):
    outcome = import_photo(
        library, photo_files[1], library.person(), foot=Foot.RIGHT, view=View.MEDIAL
    )
    photo = get_photo(library, outcome.photo_id)
    assert (photo.foot, photo.view) == ("right", "medial")


def test_heic_photo_is_imported(library: Library, tmp_path: Path):
    pillow_heif = pytest.importorskip("pillow_heif")
    path = tmp_path / "IMG_20230102_101112.heic"
    pillow_heif.from_pillow(Image.new("RGB", (80, 60), (190, 140, 120))).save(path)
    outcome = import_photo(library, path, library.person())
    assert outcome.result == "added", outcome.reason
    photo = get_photo(library, outcome.photo_id)
    assert (photo.format, photo.width, photo.height) == ("heic", 80, 60)
    assert photo.file_name.endswith(".heic")


def test_a_full_disk_loses_nothing(library: Library, photo_files, monkeypatch):
    def disk_full(source: Path, target: Path) -> str:
        target.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(photo_store, "_copy_and_hash", disk_full)
    outcome = import_photo(library, photo_files[0], library.person())
    assert outcome.result == "error"
    assert "No space left" in outcome.reason
    assert list_photos(library) == []
    assert check_library(library) == []
    assert photo_files[0].exists()


def test_kill_between_move_and_row_is_undone_on_open(tmp_path: Path, photo_files, monkeypatch):
    root = tmp_path / "lib"
    lib = Library.open(root)

    class Killed(BaseException):
        pass

    real_replace = os.replace

    def replace_then_die(src, dst):
        real_replace(src, dst)
        raise Killed  # the process dies right after the file is in place

    monkeypatch.setattr(photo_store.os, "replace", replace_then_die)
    with pytest.raises(Killed):
        import_photo(lib, photo_files[0], lib.person())
    lib.close()
    monkeypatch.undo()
    assert len([p for p in (root / "photos").iterdir() if p.is_file()]) == 1
    with Library.open(root) as reopened:
        assert check_library(reopened) == []
        assert list_photos(reopened) == []
        assert import_photo(reopened, photo_files[0], reopened.person()).result == "added"


def test_edit_and_delete(library: Library, photo_files):
    photo_id = import_photo(library, photo_files[2], library.person()).photo_id
    update_photo(library, photo_id, taken_at="2020-02-02T10:00:00", note="after the marathon")
    photo = get_photo(library, photo_id)
    assert photo.taken_at_source == "user" and photo.note == "after the marathon"
    with pytest.raises(LibraryError, match="cannot edit"):
        update_photo(library, photo_id, sha256="0" * 64)
    delete_photo(library, photo_id)
    assert list_photos(library) == []
    assert check_library(library) == []
    assert photo_files[2].exists()


def test_folder_walk_takes_photos_only(tmp_path: Path, photo_files):
    folder = photo_files[0].parent
    (folder / "sub").mkdir()
    (folder / "sub" / "notes.txt").write_text("x")
    Image.new("RGB", (10, 10)).save(folder / "sub" / "deep.webp")
    found = sorted(p.name for p in photo_store.walk_photo_paths([folder]))
    assert found == sorted([p.name for p in photo_files] + ["deep.webp"])


def test_recovery_leaves_other_live_imports_alone(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "lib"
    Library.open(root).close()
    incoming = root / "photos" / ".incoming"
    live = incoming / f"{os.getpid()}-abc.part"  # a copy this (running) process is making
    live.write_bytes(b"half a photo")
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = incoming / f"{done.stdout.strip()}-def.part"  # left by a process that is gone
    dead.write_bytes(b"half a photo")
    with Library.open(root) as lib:
        assert check_library(lib) == []
    assert live.exists()
    assert not dead.exists()
