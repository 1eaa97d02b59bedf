"""How long footlog takes to parse a large Strava `activities.csv`.

Writes a 5,000-row export in the newest layout (94 columns, duplicated names) to a temporary
folder, then times, best of several rounds:

- merely reading it with `csv.reader` (the floor: decoding and splitting), and
- footlog's `StravaCsvImporter.read` (finding columns, dates, numbers, types, Run objects).

Prints both in seconds and their ratio. Run from the repository root:

    .venv/bin/python benchmarks/strava_import.py [--rows 5000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from footlog.app import import_runs
from footlog.importers.strava_csv import StravaCsvImporter
from footlog.storage.library import Library

_HEADER_TEXT = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,"
    "Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,"
    "Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,"
    "From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,"
    "Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,"
    "Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,"
    "Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,"
    "Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,"
    "Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,"
    "Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,"
    "Average Grade Adjusted Pace,Timer Time,Total Cycles,Media"
)
HEADER = _HEADER_TEXT.split(",")

TYPES = ["Run"] * 6 + ["Walk", "Hike", "Ride", "Swim", "Trail Run", "Weight Training"]
NAMES = ["Morning Run", "Barefoot loop", "Lunch Walk", "Evening Ride", 'Hills, "again"', "BF 5k"]
GEAR = ["", "", "Vivobarefoot Primus", "Pegasus 40", "Luna Mono", "Canyon Endurace"]


def strava_date(moment: datetime) -> str:
    """Strava's English layout, independent of this computer's locale."""
    month = moment.strftime("%b")  # %b is English in the default C locale
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{month} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {half}"


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2014, 1, 1, 6, 0, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for i in range(rows):
            when = start + timedelta(hours=17 * i + rng.randint(0, 600) / 60)
            elapsed = rng.randint(900, 9000)
            metres = round(elapsed * rng.uniform(2.2, 3.8), 1)
            row = [""] * len(HEADER)
            row[0] = str(1_000_000_000 + i)
            row[1] = strava_date(when)
            row[2] = rng.choice(NAMES)
            row[3] = rng.choice(TYPES)
            row[4] = rng.choice(["", "", "Easy on grass, then the track"])
            row[5] = str(elapsed)
            row[6] = f"{metres / 1000:.2f}"
            row[9] = "false"
            row[11] = rng.choice(GEAR)
            row[12] = f"activities/{1_000_000_000 + i}.fit.gz"
            row[15] = f"{elapsed:.1f}"
            row[16] = f"{elapsed * 0.97:.1f}"
            row[17] = f"{metres:.1f}"
            row[19] = f"{metres / elapsed:.3f}"
            row[34] = str(rng.randint(100, 1500))
            writer.writerow(row)


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "activities.csv"
        write_export(path, args.rows)
        size_kb = path.stat().st_size / 1024

        def csv_only() -> None:
            with path.open(newline="", encoding="utf-8-sig") as stream:
                for _ in csv.reader(stream):
                    pass

        importer = StravaCsvImporter()
        result = importer.read(path)
        assert len(result.runs) == args.rows and not result.errors, result.errors[:3]
        floor = best_of(args.rounds, csv_only)
        parse = best_of(args.rounds, lambda: importer.read(path))
        # End to end, as `footlog runs import activities.csv` does it: parse and store.
        lib = Library.open(Path(folder) / "library")
        t0 = time.perf_counter()
        summary, errors = import_runs(lib, lib.person(), [path])
        stored = time.perf_counter() - t0
        lib.close()
        assert summary.added == args.rows and not errors
    print(f"activities.csv: {args.rows} rows, {len(HEADER)} columns, {size_kb:.0f} KiB")
    print(f"csv.reader only:        {floor:.3f} s")
    print(f"footlog Strava import:  {parse:.3f} s  ({parse / args.rows * 1e6:.0f} µs per row)")
    print(f"ratio:                  {parse / floor:.1f}x")
    print(f"parse and store in a new library: {stored:.3f} s")


if __name__ == "__main__":
    main()
