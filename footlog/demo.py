"""`footlog demo`: a throw-away library from the bundled photos and a generated run log.

The photos are real (one person's feet, see assets/demo/photos/README.md); their dates,
the runs and the events are made up so that a newcomer sees a timeline of several years.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path

from footlog.app import import_photos
from footlog.domain.runs import Footwear, Run
from footlog.storage.library import Library
from footlog.storage.photo_store import update_photo
from footlog.storage.run_store import add_event, save_runs, set_gear

# (file, foot, view, day): pairs on one day are repeat photos, as the capture advice asks.
DEMO_PHOTOS: tuple[tuple[str, str, str, str], ...] = (
    ("ala-jaidi__1.jpg", "right", "dorsal", "2019-03-10"),
    ("ala-jaidi__2.jpg", "right", "dorsal", "2019-03-10"),
    ("ala-jaidi__3.jpg", "right", "dorsal", "2020-01-12"),
    ("ala-jaidi__aaa.jpg", "right", "dorsal", "2020-01-12"),
    ("ala-jaidi__bbb.jpg", "right", "dorsal", "2021-02-07"),
    ("ala-jaidi__r.jpg", "right", "dorsal", "2021-02-07"),
    ("ala-jaidi__t.jpg", "right", "dorsal", "2022-04-03"),
    ("ala-jaidi__dd.jpg", "right", "dorsal", "2023-06-18"),
    ("ala-jaidi__gg.jpg", "right", "dorsal", "2023-06-18"),
    ("ala-jaidi__tt.jpg", "right", "dorsal", "2025-05-11"),
    ("ala-jaidi__av.jpg", "left", "dorsal", "2024-09-01"),
    ("ala-jaidi__ad.jpg", "left", "medial", "2024-09-01"),
    ("ala-jaidi__l.jpg", "right", "medial", "2025-05-11"),
)

DEMO_EVENTS = (
    (date(2019, 6, 1), "Started barefoot running: short runs on grass", "both"),
    (date(2021, 3, 1), "Gave away the cushioned shoes", "both"),
    (date(2023, 1, 15), "Started wearing toe spacers at night", "both"),
    (date(2024, 2, 20), "Bruised the right heel on gravel; two weeks off", "right"),
)

GEAR = {"Pegasus 36": Footwear.SHOD, "Vivobarefoot Primus": Footwear.MINIMAL}


def demo_runs(
    start: date = date(2019, 1, 6), end: date = date(2025, 10, 26), seed: int = 2019
) -> list[Run]:
    """Three or four runs a week; the barefoot share grows from none to most."""
    rng = random.Random(seed)
    runs: list[Run] = []
    day = start
    span = (end - start).days
    while day <= end:
        progress = (day - start).days / span
        for weekday in sorted(rng.sample(range(7), rng.choice((3, 3, 4)))):
            when = datetime.combine(day + timedelta(days=weekday), datetime.min.time(), UTC)
            when += timedelta(hours=rng.choice((6, 7, 18)), minutes=rng.randrange(60))
            kind = "walk" if rng.random() < 0.1 else "run"
            km = rng.uniform(2, 5) if kind == "walk" else rng.uniform(4, 6 + 10 * progress)
            barefoot_share = min(0.75, max(0.0, (progress - 0.05) * 1.1))
            roll = rng.random()
            if roll < barefoot_share:
                gear, name = "", "Barefoot run" if kind == "run" else "Barefoot walk"
                km = min(km, 3 + 12 * progress)  # barefoot distance builds up slowly
            elif roll < barefoot_share + 0.3 * progress:
                gear, name = "Vivobarefoot Primus", "Easy run"
            else:
                gear, name = "Pegasus 36", "Morning run" if when.hour < 12 else "Evening run"
            pace = rng.uniform(330, 390) if kind == "run" else rng.uniform(600, 720)
            runs.append(
                Run(
                    start=when,
                    distance_m=round(km * 1000),
                    duration_s=round(km * pace),
                    activity_type=kind,
                    name=name,
                    gear=gear,
                    source_file="demo",
                    external_id=f"demo:{when.isoformat()}",
                )
            )
        day += timedelta(days=7)
    return runs


def build_demo_library(root: Path, progress: Callable[[int, int, str], None] | None = None,
                       measure: bool = True) -> Path:
    """Create the demo library in `root` (which must not exist yet) and return it.
    `measure=False`: the photos are left `pending`, for the window to measure in the
    background once it shows (a fraction of a second to build instead of ~10 s)."""
    with Library.open(root) as lib:
        person = lib.add_person("Demo runner")
        demo = files("footlog.assets") / "demo" / "photos"
        with as_file(demo) as folder:
            paths = [Path(folder) / name for name, *_ in DEMO_PHOTOS]
            facts = {
                Path(folder) / n: {"foot": f, "view": v, "taken_at": f"{d}T09:30:00"}
                for n, f, v, d in DEMO_PHOTOS
            }
            import_photos(lib, paths, person, progress=progress, overrides=facts,
                          measure=measure)
        for row in lib.db.query("SELECT id, original_name FROM photos"):
            update_photo(lib, row["id"], note="demo photo (real, dated for the demo)")
        for gear, footwear in GEAR.items():
            set_gear(lib, person, gear, footwear)
        save_runs(lib, person, demo_runs())
        for day, text, foot in DEMO_EVENTS:
            add_event(lib, person, day, text, foot)
    return root


def demo_library_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="footlog-demo-")) / "library"
