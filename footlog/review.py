"""Reviewing photos: which landmarks to look at first, and a confirmed photo to compare with.

Used by the review queue of the window (Photo ▸ Review Photos) and testable without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np

from footlog.domain.alignment import align_landmarks
from footlog.domain.photo import Photo
from footlog.storage.library import Library
from footlog.storage.measure_store import StoredLandmark, load_landmarks

# A confirmed photo is compared with only when its landmarks fit this one's within this
# share of the forefoot width (RMS): another posture, or a wrong landmark, fits worse.
TEMPLATE_FIT = 0.15


def doubtful_first(expected: Iterable[str], present: Iterable[str],
                   warnings: Iterable[str]) -> list[str]:
    """The photo's landmarks in the order to check them: those its warnings name first (in
    the view's order), then the others."""
    present = list(dict.fromkeys([*[n for n in expected if n in set(present)], *present]))
    said = " ".join(warnings)
    named = [n for n in present if re.search(rf"\b{re.escape(n)}\b", said)]
    return named + [n for n in present if n not in named]


def template_photo(lib: Library, photo: Photo,
                   stored: Mapping[str, StoredLandmark] | None = None) -> int | None:
    """The person's confirmed other photo of the same foot and view whose landmarks are
    likest this photo's (`analysis.carry.likeness`; the most recently confirmed when this
    photo has no landmarks to compare)."""
    from footlog.analysis.carry import likeness

    rows = lib.db.execute(
        "SELECT id FROM photos WHERE person_id = ? AND foot = ? AND view = ? AND id != ? "
        "AND confirmed_at IS NOT NULL AND deleted_at IS NULL "
        "ORDER BY confirmed_at DESC, id DESC",
        [photo.person_id, photo.foot, photo.view, photo.id]).fetchall()
    if not rows:
        return None
    if not stored:
        return int(rows[0][0])
    mine = {n: np.array([s.x, s.y]) for n, s in stored.items()}

    def unlike(pid: int) -> float:
        theirs = {n: np.array([s.x, s.y]) for n, s in load_landmarks(lib, pid).items()}
        return likeness(theirs, mine)

    return min((int(r[0]) for r in rows), key=unlike)  # ties: the most recent


def template_landmarks(lib: Library, photo: Photo,
                       stored: Mapping[str, StoredLandmark]) -> dict[str, tuple[float, float]]:
    """The landmarks of the person's confirmed photo of this foot and view, carried onto
    this photo by the similarity that best fits the landmarks both have (compare's fit):
    where the person put them on that photo, for comparison. Empty when there is none, or
    when the two do not fit (TEMPLATE_FIT)."""
    other = template_photo(lib, photo, stored)
    if other is None:
        return {}
    theirs = {n: (s.x, s.y) for n, s in load_landmarks(lib, other).items()
              if not n.startswith("print_")}
    mine = {n: (s.x, s.y) for n, s in stored.items() if not n.startswith("print_")}
    try:
        fit = align_landmarks(mine, theirs)
    except ValueError:
        return {}
    if "mt1_medial" in mine and "mt5_lateral" in mine:
        width = float(np.linalg.norm(np.subtract(mine["mt1_medial"], mine["mt5_lateral"])))
        if width <= 0 or fit.residual_rms > TEMPLATE_FIT * width:
            return {}
    moved = fit.transform.apply(np.array(list(theirs.values()), float))
    return {n: (float(x), float(y)) for n, (x, y) in zip(theirs, moved, strict=True)}
