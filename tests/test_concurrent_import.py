"""Two `footlog import` processes into one library at the same time both finish.

SQLite allows one writer at a time. A write transaction that begins deferred, reads, then
writes cannot wait for the lock in WAL mode once the other process has committed; it fails
at once with "database is locked". footlog starts every write transaction with BEGIN
IMMEDIATE, so the second writer waits instead. Each round starts both imports together on
a new library, then checks that every photo of both batches is in, measured, and that the
library is consistent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from footlog.storage.integrity import check_library
from footlog.storage.library import Library

ROUNDS = int(os.environ.get("FOOTLOG_CONCURRENCY_ROUNDS", "10"))
PHOTOS_PER_PROCESS = 30


def _photos(folder: Path, count: int, seed: int) -> list[Path]:
    """Small distinct photos: a skin-coloured blob on a light floor, so measuring runs its
    stages (and writes landmarks) without taking long."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        pixels = np.full((240, 320, 3), 225, np.uint8)
        cy, cx = rng.integers(80, 160), rng.integers(100, 220)
        yy, xx = np.ogrid[:240, :320]
        blob = ((yy - cy) / 70.0) ** 2 + ((xx - cx) / 40.0) ** 2 < 1
        pixels[blob] = (190, 140, 120)
        pixels = np.clip(pixels + rng.integers(-6, 7, pixels.shape), 0, 255).astype(np.uint8)
        path = folder / f"IMG_2021{1 + i % 12:02d}{1 + i % 28:02d}_0800{i:02d}.jpg"
        Image.fromarray(pixels).save(path, quality=85)
        paths.append(path)
    return paths


@pytest.mark.slow
def test_two_processes_importing_into_one_library_both_finish(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    batches = [_photos(tmp_path / f"batch{k}", PHOTOS_PER_PROCESS, seed=k) for k in range(2)]
    for round_no in range(ROUNDS):
        root = tmp_path / f"library{round_no}"
        Library.open(root).close()
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "footlog", "--library", str(root), "import",
                 "--json", str(folder)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            for folder in (batches[0][0].parent, batches[1][0].parent)
        ]
        outputs = [child.communicate(timeout=300) for child in children]
        for child, (_out, err) in zip(children, outputs, strict=True):
            assert child.returncode == 0, f"round {round_no}: {err.strip()}"
            assert "Traceback" not in err
        with Library.open(root) as lib:
            assert check_library(lib) == [], f"round {round_no}"
            rows = lib.db.execute("SELECT status, count(*) FROM photos GROUP BY status")
            statuses = dict(rows.fetchall())
        assert sum(statuses.values()) == 2 * PHOTOS_PER_PROCESS, f"round {round_no}: {statuses}"
        assert "pending" not in statuses, f"round {round_no}: {statuses}"
