"""Two feet in one photo: the original stored once, each foot a measurable row of its own;
the migration that makes room for them, including a kill in the middle of it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from footlog.domain.views import Foot
from footlog.storage.database import LibraryError, connect
from footlog.storage.feet_store import (
    feet_source,
    photo_feet,
    set_one_foot,
    set_two_feet,
    swap_sides,
)
from footlog.storage.integrity import check_library
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, set_manual_landmark
from footlog.storage.photo_store import (
    delete_photo,
    import_photo,
    list_photos,
    restore_photos,
    trash_photos,
)
from footlog.storage.schema import MIGRATIONS

LEFT_REGION = [(0.0, 0.0), (30.0, 0.0), (30.0, 48.0), (0.0, 48.0)]
RIGHT_REGION = [(34.0, 0.0), (64.0, 0.0), (64.0, 48.0), (34.0, 48.0)]


def _split(library: Library, photo_files: list[Path]) -> list[int]:
    person = library.person(None)
    added = import_photo(library, photo_files[0], person, measure=False)
    return set_two_feet(library, added.photo_id,
                        [(Foot.LEFT, LEFT_REGION), (Foot.RIGHT, RIGHT_REGION)], "auto")


def test_two_feet_share_one_original_file(library: Library, photo_files) -> None:
    first, second = _split(library, photo_files)
    rows = {p.id: p for p in list_photos(library)}
    assert rows[first].foot == "left" and rows[second].foot == "right"
    assert rows[second].original_id == first and rows[first].original_id is None
    assert rows[first].file_name == rows[second].file_name
    assert len(list(library.photos_dir.glob("*.jpg"))) == 1
    assert [f.photo_id for f in photo_feet(library, second)] == [first, second]
    assert feet_source(library, second) == "auto"
    assert check_library(library) == []
    # Importing the same file again finds the original, not a foot.
    again = import_photo(library, photo_files[0], library.person(None), measure=False)
    assert (again.result, again.photo_id) == ("duplicate", first)


def test_each_foot_keeps_its_own_landmarks_when_split_again(library, photo_files) -> None:
    first, second = _split(library, photo_files)
    set_manual_landmark(library, second, "hallux_tip", 40.0, 5.0)
    swap_sides(library, first)
    feet = {f.photo_id: f for f in photo_feet(library, first)}
    assert (feet[first].foot, feet[second].foot) == (Foot.RIGHT, Foot.LEFT)
    assert feet[first].region == LEFT_REGION  # the region stays with its row
    assert feet_source(library, first) == "manual"
    assert "hallux_tip" in load_landmarks(library, second)
    set_two_feet(library, first, [(Foot.LEFT, RIGHT_REGION), (Foot.RIGHT, LEFT_REGION)],
                 "manual")
    assert [f.photo_id for f in photo_feet(library, first)] == [first, second]


def test_one_foot_again_removes_the_other_foot_row(library, photo_files) -> None:
    first, second = _split(library, photo_files)
    set_manual_landmark(library, second, "hallux_tip", 40.0, 5.0)
    assert set_one_foot(library, second) == first
    assert [f.photo_id for f in photo_feet(library, first)] == [first]
    assert photo_feet(library, first)[0].region is None
    assert feet_source(library, first) == "manual"
    assert library.db.execute("SELECT count(*) FROM landmarks").fetchone()[0] == 0


def test_trash_and_delete_of_a_split_photo(library, photo_files) -> None:
    first, second = _split(library, photo_files)
    # The original goes to the trash with its other foot, and comes back with it.
    assert sorted(trash_photos(library, [first])) == [first, second]
    assert list_photos(library) == []
    restore_photos(library, [first])
    assert len(list_photos(library)) == 2
    # Deleting the other foot for good keeps the file: the original still needs it.
    delete_photo(library, second)
    assert [p.id for p in list_photos(library)] == [first]
    assert check_library(library) == []
    delete_photo(library, first)
    assert list(library.photos_dir.glob("*.jpg")) == []


def _library_before_m004(root: Path, photo: Path) -> None:
    """A library as footlog made it before photos could hold two feet, with a photo, a
    landmark and a measure."""
    with Library.open(root) as lib:
        photo_id = import_photo(lib, photo, lib.person(None), measure=False).photo_id
        set_manual_landmark(lib, photo_id, "hallux_tip", 10.0, 5.0)
        lib.db.execute("INSERT INTO measures (photo_id, name, value, unit) "
                       "VALUES (?, 'hallux_angle', 12.5, 'deg')", [photo_id])
    # Build the same data on the schema of m003: a fresh database migrated that far, with
    # the rows copied in.
    old = root / "old.db"
    db = connect(old)
    MIGRATIONS.apply(db, stop_before="m004_feet_of_one_photo")
    db.close()
    conn = sqlite3.connect(old)
    conn.execute("ATTACH ? AS new", [str(root / "footlog.db")])
    for table in ("people", "photos", "landmarks", "measures"):
        # The old schema's columns: later migrations add more to the new one.
        cols = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} SELECT {cols} FROM new.{table}")
    conn.commit()
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{root / 'footlog.db'}{suffix}").unlink(missing_ok=True)
    old.rename(root / "footlog.db")


def test_migration_keeps_photos_landmarks_and_measures(tmp_path, photo_files) -> None:
    root = tmp_path / "lib"
    _library_before_m004(root, photo_files[0])
    with Library.open(root) as lib:
        photo = list_photos(lib)[0]
        assert photo.original_id is None and photo.region is None
        assert photo.proximal_line is None  # m005: not recorded before
        assert photo.measures == {"hallux_angle": 12.5}
        assert "hallux_tip" in load_landmarks(lib, photo.id)
        assert lib.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):  # one original per file
            lib.db.execute("INSERT INTO photos (person_id, sha256, file_name, original_name, "
                           "format, byte_size, taken_at, taken_at_source, width, height, "
                           "imported_at) SELECT person_id, sha256, file_name, original_name, "
                           "format, byte_size, taken_at, taken_at_source, width, height, "
                           "imported_at FROM photos")
    assert list(root.glob("footlog.db.before-migration-*"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("after", ["INSERT INTO photos_new", "DROP TABLE photos",
                                   "ALTER TABLE photos_new"])
def test_migration_killed_midway_leaves_the_library_as_it_was(tmp_path, photo_files, after):
    """SIGKILL inside the migration's transaction, after each step that changes the
    table: the next open finds the old schema intact and migrates it whole."""
    root = tmp_path / "lib"
    _library_before_m004(root, photo_files[0])
    child = textwrap.dedent(f"""
        import os, signal, sys
        from footlog.storage import schema
        step = {after!r}
        original = schema._rebuild_photos
        def dying(db):
            real = db.execute
            def execute(sql, *args):
                out = real(sql, *args)
                if sql.startswith(step):
                    os.kill(os.getpid(), signal.SIGKILL)
                return out
            db.execute = execute
            original(db)
        schema._rebuild_photos = dying
        from footlog.storage.library import Library
        Library.open(sys.argv[1])
    """)
    proc = subprocess.run([sys.executable, "-c", child, str(root)], env=os.environ.copy())
    assert proc.returncode == -signal.SIGKILL
    with Library.open(root) as lib:
        photo = list_photos(lib)[0]
        assert photo.measures == {"hallux_angle": 12.5}
        assert "hallux_tip" in load_landmarks(lib, photo.id)
        assert "m004_feet_of_one_photo" in {m.name for m in MIGRATIONS.applied(lib.db)}
        assert lib.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_split_photo_in_backup_export_and_timeline(library, photo_files, tmp_path) -> None:
    """Each foot is a photo to the timeline and the export; the backup holds the file once
    and its restore gives both feet back."""
    import csv
    import zipfile

    from footlog.export_csv import export_csv
    from footlog.storage.backup import backup_library, restore_library
    from footlog.timeline import load_timeline

    first, second = _split(library, photo_files)
    for photo_id, value in ((first, 10.0), (second, -3.0)):
        library.db.execute("INSERT INTO measures (photo_id, name, value, unit) "
                           "VALUES (?, 'hallux_angle', ?, 'deg')", [photo_id, value])
        library.db.execute("UPDATE photos SET status = 'ok', auto_status = 'ok', "
                           "view = 'dorsal' WHERE id = ?", [photo_id])
    timeline = load_timeline(library, library.person(None))
    assert {timeline.photos[i].foot for i in (first, second)} == {"left", "right"}
    written = export_csv(library, tmp_path / "csv")
    photos_csv = next(p for p in written if p.name == "photos.csv")
    with open(photos_csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["foot"] for r in rows) == ["left", "right"]
    backup = tmp_path / "backup.zip"
    backup_library(library, backup)
    with zipfile.ZipFile(backup) as archive:
        photos = [n for n in archive.namelist() if n.startswith("photos/")]
    assert len(photos) == 1
    restore_library(backup, tmp_path / "restored")
    with Library.open(tmp_path / "restored") as restored:
        assert [f.photo_id for f in photo_feet(restored, first)] == [first, second]
        assert check_library(restored) == []


def test_one_foot_said_by_nobody_leaves_the_photo_to_the_detector(library, photo_files):
    """Undoing a split the person made on a photo nobody had split gives it back as it
    was: the detector may split it again."""
    first, _ = _split(library, photo_files)
    set_one_foot(library, first, None)
    assert feet_source(library, first) is None
    with pytest.raises(LibraryError):
        set_one_foot(library, first, "somebody")
