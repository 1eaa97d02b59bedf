"""Cold start of `footlog measure PHOTO`: a whole run of the command, from interpreter start
to exit, against baselines measured in the same run.

    python benchmarks/measure_start.py [--runs 7] [PHOTO]

Baselines: Python itself (`python -c pass`), and the libraries no measurement can avoid
(numpy, OpenCV and Pillow imported, the photo decoded). Prints medians in seconds, the ratio
of the command to the second baseline, and the modules that cost most to import
(`python -X importtime`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PHOTO = Path(__file__).resolve().parent.parent / "tests/data/photos/ala-jaidi__2.jpg"


def timed(command: list[str], runs: int) -> float:
    """Median wall time of `runs` runs (s)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heaviest_imports(photo: Path, count: int = 8) -> list[tuple[float, str]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "footlog", "measure",
                           str(photo)], capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if m and len(m.group(2)) <= 1:  # top-level imports only
            rows.append((int(m.group(1)) / 1e6, m.group(3)))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photo", nargs="?", type=Path, default=DEFAULT_PHOTO)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = timed([sys.executable, "-c", "pass"], args.runs)
    floor_code = ("import numpy, cv2\nfrom PIL import Image\n"
                  f"Image.open({str(args.photo)!r}).convert('RGB').load()")
    floor = timed([sys.executable, "-c", floor_code], args.runs)
    command = timed([sys.executable, "-m", "footlog", "measure", str(args.photo)], args.runs)
    print(f"photo: {args.photo.name}, median of {args.runs} cold runs each")
    print(f"python -c pass:                         {python:.3f} s")
    print(f"import numpy, OpenCV, Pillow + decode:  {floor:.3f} s")
    print(f"footlog measure PHOTO:                  {command:.3f} s "
          f"= {command / floor:.2f} x the libraries and decode (target: 0.6 s on 2 cores)")
    print("heaviest top-level imports of `footlog measure` (s):")
    for seconds, name in heaviest_imports(args.photo):
        print(f"  {seconds:.3f}  {name}")


if __name__ == "__main__":
    main()
