"""How fast is the Timeline tab on a big library? Target: data + figure + draw <= 300 ms.

A library of 10 years of daily runs (3,650) and 240 photos (120 sessions of 2 repeat photos,
alternating feet), written straight into the database (no image files are needed to chart).
Times, median of several repeats after one warm-up (the first draw loads fonts):

  data      load_timeline: SQL rows -> sessions, weekly totals, statistics
  figure    timeline_figure: building the artists
  draw      rendering to an Agg canvas (what the Qt canvas does on screen)
  baseline  drawing an empty figure of the same size with the same three axes

Run:  .venv/bin/python benchmarks/timeline_speed.py
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from footlog.charts.timeline_chart import timeline_figure
from footlog.domain.runs import Run
from footlog.storage.library import Library, utc_now_iso
from footlog.storage.run_store import add_event, save_runs
from footlog.timeline import load_timeline

TARGET_S = 0.300
START = date(2015, 1, 1)
DAYS = 3650
PHOTOS = 240


def build_library(root: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    with Library.open(root) as lib:
        person = lib.add_person("Bench")
        runs = []
        for i in range(DAYS):
            day = START + timedelta(days=i)
            when = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
            barefoot = rng.random() < min(0.8, i / DAYS * 1.2)
            runs.append(Run(when, rng.uniform(3000, 12000), 1800.0, "run",
                            "Barefoot run" if barefoot else "Run",
                            external_id=f"bench:{i}"))
        save_runs(lib, person, runs)
        with lib.db.atomic():
            for k in range(PHOTOS):
                session = k // 2
                day = START + timedelta(days=session * DAYS // (PHOTOS // 2))
                foot = "left" if session % 2 else "right"
                sha = hashlib.sha256(f"bench{k}".encode()).hexdigest()
                cur = lib.db.execute(
                    "INSERT INTO photos (person_id, sha256, file_name, original_name, format, "
                    "byte_size, taken_at, taken_at_source, foot, view, width, height, "
                    "imported_at, status, auto_status) VALUES "
                    "(?, ?, ?, ?, 'jpeg', 1, ?, 'user', ?, 'dorsal', 64, 48, ?, 'ok', 'ok')",
                    [person.id, sha, f"{sha}.jpg", f"b{k}.jpg",
                     f"{day.isoformat()}T09:{k % 2:02d}:00", foot, utc_now_iso()],
                )
                pid = cur.lastrowid
                drift = -2.0 * session / (PHOTOS // 2)
                for name, base, unit in (("hallux_angle", 12, "deg"), ("toe_splay", -5, "deg"),
                                         ("toe_spread_ratio", 1.0, "1")):
                    value = base + drift + rng.gauss(0, 1.5 if unit == "deg" else 0.02)
                    lib.db.execute(
                        "INSERT INTO measures (photo_id, name, value, unit) VALUES (?, ?, ?, ?)",
                        [pid, name, value, unit],
                    )
        for year in range(2016, 2025, 2):
            add_event(lib, person, date(year, 3, 1), f"Event of {year}: something changed")


def timed(fn, repeats: int = 5) -> float:
    fn()  # warm-up: fonts, caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        t0 = time.perf_counter()
        build_library(root)
        print(f"library built in {time.perf_counter() - t0:.1f} s "
              f"({DAYS} runs, {PHOTOS} photos)")
        with Library.open(root) as lib:
            person = lib.person()
            data = load_timeline(lib, person)
            t_data = timed(lambda: load_timeline(lib, person))
        t_fig = timed(lambda: timeline_figure(data, "hallux_angle", "both"))
        fig = timeline_figure(data, "hallux_angle", "both")
        canvas = FigureCanvasAgg(fig)
        t_draw = timed(canvas.draw)

        def baseline() -> None:
            empty = Figure(figsize=(10.0, 6.5))
            _top, bottom = empty.subplots(2, 1, sharex=True)
            bottom.twinx()
            FigureCanvasAgg(empty).draw()

        t_base = timed(baseline)
    total = t_data + t_fig + t_draw
    print(f"data     {t_data * 1000:7.1f} ms")
    print(f"figure   {t_fig * 1000:7.1f} ms")
    print(f"draw     {t_draw * 1000:7.1f} ms")
    print(f"total    {total * 1000:7.1f} ms   (target <= {TARGET_S * 1000:.0f} ms)")
    print(f"baseline {t_base * 1000:7.1f} ms   (empty figure, same size and axes, built+drawn)")
    print(f"overhead over baseline: {(total - t_base) * 1000:.1f} ms")
    return 0 if total <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
