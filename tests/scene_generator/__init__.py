"""Realistic test scenes built from real feet: the foot and leg of a photo in
tests/data/photos, cut out and set on a generated floor (marble, tiles, wood, carpet,
concrete), on an A4 or Letter page or none, seen by a phone camera from straight above to
50 degrees oblique, with shadows, a colour cast, blur and JPEG noise; each with its exact
truth (page corners, paper size, foot mask, landmarks) and regenerated from its seed.

Development tooling for footlog's tests and benchmarks, not part of footlog.
"""

from scene_generator.floors import FLOORS
from scene_generator.scene import (
    Scene,
    SceneTruth,
    generate_scene,
    generate_scenes,
    scene_seeds,
)

__all__ = ["FLOORS", "Scene", "SceneTruth", "generate_scene", "generate_scenes", "scene_seeds"]
