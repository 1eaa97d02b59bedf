"""Reading run logs from a zip against reading the same files from a folder.

Writes N small GPX files (tests/data/runs/track.gpx, each moved to a day of its own) into a
temporary folder and into a zip of the same files (deflated, as Strava's export is), then
times `read_run_files` on each, best of several rounds, and prints both and their ratio (the
zip's aim: within 1.3x of the folder). Run from the repository root:

    .venv/bin/python benchmarks/zip_import.py [--files 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from footlog.importers import read_run_files  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "runs" / "track.gpx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    text = SAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "activities"
        folder.mkdir()
        archive = Path(tmp) / "export.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(args.files):
                day = (date(2021, 5, 2) + timedelta(days=i)).isoformat()
                body = text.replace("2021-05-02", day)
                (folder / f"{i}.gpx").write_text(body, encoding="utf-8")
                z.writestr(f"activities/{i}.gpx", body)
        times = {}
        for name, path in (("folder", folder), ("zip", archive)):
            best = float("inf")
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                result = read_run_files([path])
                best = min(best, time.perf_counter() - t0)
                assert len(result.runs) == args.files, (name, len(result.runs), result.errors[:3])
            times[name] = best
    print(f"{args.files} GPX files: folder {times['folder']:.2f} s, zip {times['zip']:.2f} s, "
          f"zip / folder = {times['zip'] / times['folder']:.2f}")


if __name__ == "__main__":
    main()
