"""How fast is the Timeline tab on a big library? Target: data + figure + draw <= 300 ms.

A library of 10 years of daily runs (3,650) and 240 photos (120 sessions of 2 repeat photos,
alternating feet), written straight into the database (no image files are needed to chart).
Times, median of several rounds after one warm-up (the first draw loads fonts); the stages
take turns within each round, so a busy machine slows all of them alike:

  data      load_timeline: lean SQL rows -> sessions, weekly totals, statistics
  figure    timeline_figure: building the artists
  draw      rendering on the canvas class the Timeline tab uses (Agg with the text cache),
            strings already drawn once, as on every redraw after the first
  cold      the same draw with the text cache emptied first (the tab's very first draw)
  baseline  an empty figure of the same size with the same three axes, built and drawn
            on plain FigureCanvasAgg: what any chart costs on this machine

The ratio to the baseline is the figure to compare between machines and busy moments.

Run:  .venv/bin/python benchmarks/timeline_speed.py [rounds]
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from footlog.charts.render import FigureCanvasCachedAgg, clear_text_cache
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


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000.0


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        t0 = time.perf_counter()
        build_library(root)
        print(f"library built in {time.perf_counter() - t0:.1f} s "
              f"({DAYS} runs, {PHOTOS} photos)")

        def baseline() -> None:
            empty = Figure(figsize=(10.0, 6.5))
            _top, bottom = empty.subplots(2, 1, sharex=True)
            bottom.twinx()
            FigureCanvasAgg(empty).draw()

        with Library.open(root) as lib:
            person = lib.person()
            data = load_timeline(lib, person)
            fig = timeline_figure(data, "hallux_angle", "both")
            canvas = FigureCanvasCachedAgg(fig)
            canvas.draw()  # warm-up: fonts, caches
            baseline()
            stages: dict[str, Callable[[], object]] = {
                "baseline": baseline,
                "data": lambda: load_timeline(lib, person),
                "figure": lambda: timeline_figure(data, "hallux_angle", "both"),
                "draw": canvas.draw,
                "cold": lambda: (clear_text_cache(), canvas.draw()),
            }
            times: dict[str, list[float]] = {name: [] for name in stages}
            for _ in range(rounds):
                for name, fn in stages.items():
                    t0 = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - t0)
    ms = {name: _median_ms(values) for name, values in times.items()}
    total = ms["data"] + ms["figure"] + ms["draw"]
    total_cold = ms["data"] + ms["figure"] + ms["cold"]
    base = ms["baseline"]
    print(f"median of {rounds} rounds")
    print(f"data     {ms['data']:7.1f} ms")
    print(f"figure   {ms['figure']:7.1f} ms")
    print(f"draw     {ms['draw']:7.1f} ms   (cold text cache: {ms['cold']:.1f} ms)")
    print(f"total    {total:7.1f} ms   (target <= {TARGET_S * 1000:.0f} ms; "
          f"cold text cache: {total_cold:.1f} ms)")
    print(f"baseline {base:7.1f} ms   (empty figure, same size and axes, built+drawn)")
    print(f"ratio    {total / base:7.2f} x baseline   (cold text cache: "
          f"{total_cold / base:.2f} x)")
    print(f"overhead over baseline: {total - base:.1f} ms")
    return 0 if total <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
