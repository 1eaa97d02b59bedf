"""Where the test data lives (photos with reference landmarks, run-log samples)."""

from pathlib import Path

import numpy as np
from PIL import Image

DATA = Path(__file__).parent / "data"
PHOTOS = DATA / "photos"
RUNS = DATA / "runs"


def noise_photos(folder: Path, count: int, seed: int = 3,
                 size: tuple[int, int] = (120, 160)) -> list[Path]:
    """`count` small JPEGs of noise (`size`: height, width px) in a new `folder`, dated by
    their names a month apart."""
    folder.mkdir()
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = folder / f"IMG_2021{1 + i % 12:02d}15_120000_{i}.jpg"
        Image.fromarray(rng.integers(0, 255, (*size, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths
