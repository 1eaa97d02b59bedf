"""Where the test data lives (photos with reference landmarks, run-log samples)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
PHOTOS = DATA / "photos"
RUNS = DATA / "runs"
