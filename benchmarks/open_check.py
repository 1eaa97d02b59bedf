"""What checking the database on open costs: `PRAGMA quick_check` on a 1,500-photo library.

Builds a library with one real measured photo, copies its rows (photo, landmarks, measures)
to 1,500 photos and adds 10 years of daily runs, then times, in the same run:
- opening the library (which runs quick_check) and closing it,
- quick_check alone,
- opening the bare SQLite file with the same pragmas, without any check (the baseline).

    .venv/bin/python benchmarks/open_check.py [--photos 1500]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from footlog.app import import_photos
from footlog.storage.database import connect, quick_check
from footlog.storage.library import Library

HERE = Path(__file__).resolve().parent
PHOTO = HERE.parent / "tests" / "data" / "photos" / "ala-jaidi__1.jpg"


def build(root: Path, photos: int) -> None:
    with Library.open(root) as lib:
        person = lib.person()
        import_photos(lib, [PHOTO], person)
        with lib.db.atomic():
            for i in range(1, photos):
                sha = f"{i:064x}"
                cur = lib.db.execute(
                    "INSERT INTO photos (person_id, sha256, file_name, original_name, "
                    "original_path, format, byte_size, taken_at, taken_at_source, foot, view, "
                    "width, height, imported_at, status, auto_status, warnings, "
                    "scale_mm_per_px, calibration, outline, detector_version, measured_at) "
                    "SELECT person_id, ?, ? || '.jpg', original_name, original_path, format, "
                    "byte_size, taken_at, taken_at_source, foot, view, width, height, "
                    "imported_at, status, auto_status, warnings, scale_mm_per_px, "
                    "calibration, outline, detector_version, measured_at FROM photos "
                    "WHERE id = 1",
                    [sha, sha],
                )
                new = cur.lastrowid
                lib.db.execute(
                    # Columns named: later migrations add columns (carried_from, m007).
                    "INSERT INTO landmarks (photo_id, name, x, y, source, auto_x, auto_y, "
                    "detector_version) SELECT ?, name, x, y, source, auto_x, auto_y, "
                    "detector_version FROM landmarks WHERE photo_id = 1",
                    [new],
                )
                lib.db.execute(
                    "INSERT INTO measures (photo_id, name, value, unit, detector_version) "
                    "SELECT ?, name, value, unit, detector_version "
                    "FROM measures WHERE photo_id = 1",
                    [new],
                )
            start = datetime(2015, 1, 1, 7, 0, tzinfo=UTC)
            for day in range(3650):
                lib.db.execute(
                    "INSERT INTO runs (person_id, start, distance_m, duration_s, "
                    "activity_type, footwear, footwear_source, counts_toward_mileage, "
                    "imported_at) VALUES (?, ?, 5000, 1800, 'run', 'barefoot', 'none', 1, ?)",
                    [person.id, (start + timedelta(days=day)).isoformat(), start.isoformat()],
                )


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "library"
        build(root, args.photos)
        db_path = root / "footlog.db"
        size_mb = db_path.stat().st_size / 1e6

        def bare_open() -> None:
            connect(db_path).close()

        def library_open() -> None:
            Library.open(root).close()

        db = connect(db_path)

        def check_only() -> None:
            assert quick_check(db) is None

        bare = median_seconds(bare_open, args.repeats)
        opened = median_seconds(library_open, args.repeats)
        check = median_seconds(check_only, args.repeats)
        db.close()
    print(f"library: {args.photos} photos, 3,650 runs, database {size_mb:.1f} MB")
    print(f"bare SQLite open (baseline):  {bare * 1e3:7.2f} ms")
    print(f"quick_check alone:            {check * 1e3:7.2f} ms  ({check / bare:.1f}x baseline)")
    print(f"Library.open with the check:  {opened * 1e3:7.2f} ms  ({opened / bare:.1f}x baseline)")


if __name__ == "__main__":
    main()
