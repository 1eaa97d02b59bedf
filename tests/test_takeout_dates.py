"""Google Photos Takeout: every file carries the export's date, the capture time is in the
JSON sidecar beside each photo. footlog reads it when EXIF has none, and says so."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from footlog.imaging.capture_date import capture_time, sidecar_time
from footlog.storage.database import connect
from footlog.storage.library import Library
from footlog.storage.photo_store import get_photo, import_photo
from footlog.storage.schema import MIGRATIONS

TAKEN = datetime(2013, 7, 21, 6, 45, 10, tzinfo=UTC)


def _photo(folder: Path, name: str = "IMG_0042.jpg") -> Path:
    path = folder / name
    Image.new("RGB", (40, 30), (180, 140, 120)).save(path)  # no EXIF at all
    export_day = datetime(2024, 2, 1, tzinfo=UTC).timestamp()
    os.utime(path, (export_day, export_day))
    return path


def _sidecar(path: Path, suffix: str, stamp: object = None) -> Path:
    side = path.with_name(path.name + suffix)
    side.write_text(json.dumps({
        "title": path.name,
        "photoTakenTime": {"timestamp": str(int(TAKEN.timestamp())) if stamp is None else stamp,
                           "formatted": "21 Jul 2013, 06:45:10 UTC"},
        "creationTime": {"timestamp": "1706745600"}}))
    return side


@pytest.mark.parametrize("suffix", [".json", ".supplemental-metadata.json",
                                    ".supplemental-metad.json"])
def test_the_sidecar_gives_the_capture_time(tmp_path: Path, suffix: str) -> None:
    path = _photo(tmp_path)
    _sidecar(path, suffix)
    when = capture_time(path, None)
    assert when.source == "sidecar"
    assert when.aware == TAKEN  # the same instant, in this machine's wall clock


def test_a_damaged_sidecar_is_passed_over(tmp_path: Path) -> None:
    path = _photo(tmp_path)
    _sidecar(path, ".json", stamp="soon")
    assert sidecar_time(path) is None
    assert capture_time(path, None).source == "file_time"


def test_exif_wins_over_the_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0043.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2012:01:02 03:04:05"  # DateTimeOriginal
    Image.new("RGB", (40, 30)).save(path, exif=exif)
    _sidecar(path, ".json")
    from footlog.imaging.photo_io import probe

    assert capture_time(path, probe(path)).source == "exif"


def test_an_imported_takeout_photo_records_its_source(tmp_path: Path) -> None:
    path = _photo(tmp_path)
    _sidecar(path, ".supplemental-metadata.json")
    with Library.open(tmp_path / "lib") as lib:
        pid = import_photo(lib, path, lib.person(None), measure=False).photo_id
        photo = get_photo(lib, pid)
    assert photo.taken_at_source == "sidecar"
    assert photo.taken_at.startswith("2013-07-2")


def test_the_migration_keeps_every_row_index_and_trigger(tmp_path: Path) -> None:
    """m008 rebuilds `photos` to widen a CHECK constraint: rows, indexes, triggers and the
    rows that refer to photos all survive, and the new source is accepted."""
    old = tmp_path / "old.db"
    db = connect(old)
    MIGRATIONS.apply(db, stop_before="m008_sidecar_dates")
    db.close()
    with Library.open(tmp_path / "lib") as lib:  # a library made by this footlog
        path = _photo(tmp_path)
        pid = import_photo(lib, path, lib.person(None), measure=False).photo_id
        lib.db.execute("INSERT INTO landmarks (photo_id, name, x, y, source) "
                       "VALUES (?, 'hallux_tip', 1, 2, 'manual')", [pid])
    conn = sqlite3.connect(old)
    conn.execute("ATTACH ? AS new", [str(tmp_path / "lib" / "footlog.db")])
    for table in ("people", "photos", "landmarks"):
        cols = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} SELECT {cols} FROM new.{table}")
    conn.commit()
    before = {r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE tbl_name = 'photos' AND type != 'table'")}
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE main.photos SET taken_at_source = 'sidecar'")
    conn.close()

    db = connect(old)
    MIGRATIONS.apply(db)
    names = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'photos' AND type != 'table'")}
    assert names == before and any(n.startswith("count_photos") for n in names)
    db.execute("UPDATE photos SET taken_at_source = 'sidecar'")
    assert db.execute("SELECT COUNT(*) FROM landmarks").fetchone()[0] == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
