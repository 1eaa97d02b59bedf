"""Commands about a photo's landmarks and their confirmation: landmarks, confirm, unconfirm.

So that scripts and tests can drive what the editor does: read a photo's landmarks with
where each came from, place them from a file as the person, and confirm photos.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from footlog.commands.common import UsageError, open_library, print_json, printable
from footlog.domain.views import LANDMARKS_BY_VIEW, View
from footlog.storage.database import LibraryError

# Where a stored landmark came from, as `landmarks --json` and `photos --json` say it:
# "detector", "person", or "carried" (from the confirmed photo that
# `landmarks_carried_from` names).
SOURCE_NAMES = {"auto": "detector", "manual": "person"}
CARRIED = "carried"


def source_name(source: str, carried_from: int | None) -> str:
    if source == "auto" and carried_from is not None:
        return CARRIED
    return SOURCE_NAMES.get(source, source)
MAX_LANDMARK_FILE = 1 << 20  # bytes; a reference file is a few kB


def landmark_sources(lib: Any, photo_ids: list[int]
                     ) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, int]]]:
    """Each photo's landmarks' provenance ("detector", "person" or "carried"), and for the
    carried ones the confirmed photo each came from, in one query."""
    out: dict[int, dict[str, str]] = {pid: {} for pid in photo_ids}
    carried: dict[int, dict[str, int]] = {pid: {} for pid in photo_ids}
    for pid, name, source, origin in lib.db.execute(
            "SELECT photo_id, name, source, carried_from FROM landmarks "
            "ORDER BY photo_id, name"):
        if pid in out:
            out[pid][name] = source_name(source, origin)
            if out[pid][name] == CARRIED:
                carried[pid][name] = int(origin)
    return out, carried


def landmarks_json(lib: Any, photo_id: int) -> dict[str, Any]:
    """A photo's landmarks (photo px, upright full resolution) with their provenance."""
    from footlog.storage.measure_store import load_landmarks, load_measures
    from footlog.storage.photo_store import get_photo

    photo = get_photo(lib, photo_id)
    stored = dict(sorted(load_landmarks(lib, photo_id).items()))
    return {
        "photo_id": photo_id,
        "view": photo.view,
        "foot": photo.foot,
        "status": photo.status,
        "confirmed_at": photo.confirmed_at,
        "confirmed_by": photo.confirmed_by,
        "landmarks": {n: [round(s.x, 2), round(s.y, 2)] for n, s in stored.items()},
        "landmark_sources": {n: source_name(s.source, s.carried_from)
                             for n, s in stored.items()},
        # The confirmed photo each carried landmark was taken from (footlog.carrying).
        "landmarks_carried_from": {
            n: s.carried_from for n, s in stored.items()
            if source_name(s.source, s.carried_from) == CARRIED},
        # Where the detector put each landmark (null where it found none).
        "detector_landmarks": {
            n: None if s.auto is None else [round(s.auto[0], 2), round(s.auto[1], 2)]
            for n, s in stored.items()},
        "measures": load_measures(lib, photo_id),
    }


def read_landmark_file(path: Path, view: View, size: tuple[int, int]
                       ) -> dict[str, tuple[float, float]]:
    """The `landmarks` of a JSON file (name -> [x, y] in photo px, the format of footlog's
    reference files), checked against the photo's view and size (width, height)."""
    try:
        if path.stat().st_size > MAX_LANDMARK_FILE:
            raise UsageError(f"{path}: larger than a landmark file can be "
                             f"({MAX_LANDMARK_FILE // 1024} kB)")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a JSON file of landmarks ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("landmarks"), dict):
        raise UsageError(f"{path}: no `landmarks` object (name -> [x, y]) in it")
    if data.get("view") not in (None, str(view)):
        raise UsageError(f"{path}: its landmarks are of a {data['view']} view; this photo is "
                         f"a {view} view")
    w, h = size
    if (data.get("width"), data.get("height")) not in ((None, None), (w, h)):
        raise UsageError(f"{path}: its landmarks were placed on a {data.get('width')} x "
                         f"{data.get('height')} picture; this photo is {w} x {h}")
    known = LANDMARKS_BY_VIEW.get(view, ())
    out: dict[str, tuple[float, float]] = {}
    for name, point in data["landmarks"].items():
        if known and name not in known:
            raise UsageError(f"{path}: `{name}` is not a landmark of a {view} view "
                             f"(known: {', '.join(known)})")
        ok = (isinstance(point, list | tuple) and len(point) == 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point))
        if not ok or not all(math.isfinite(v) for v in point):
            raise UsageError(f"{path}: `{name}` is not a point [x, y]: {printable(point)}")
        x, y = float(point[0]), float(point[1])
        if not (0 <= x <= w and 0 <= y <= h):
            raise UsageError(f"{path}: `{name}` at ({x:.0f}, {y:.0f}) lies outside the "
                             f"{w} x {h} photo")
        out[name] = (x, y)
    if not out:
        raise UsageError(f"{path}: its `landmarks` object is empty")
    return out


def cmd_landmarks(args: argparse.Namespace) -> int:
    from footlog.storage.photo_store import get_photo

    with open_library(args) as lib:
        photo = get_photo(lib, args.id)
        if args.set:
            view = photo.view
            if view == View.UNKNOWN:
                raise UsageError(f"photo {args.id} has no view yet: set it first")
            points = read_landmark_file(Path(args.set), view, (photo.width, photo.height))
            from footlog.library_measuring import set_landmarks

            set_landmarks(lib, args.id, points)
        info = landmarks_json(lib, args.id)
    if args.json:
        print_json(info)
        return 0
    if args.set:
        print(f"Placed {len(points)} landmark(s) on photo {args.id}; measures recomputed.")
    print(f"photo {args.id}: {info['view']} view, {info['foot']} foot, {info['status']}"
          + (f" (confirmed by {printable(info['confirmed_by'])} at {info['confirmed_at']})"
             if info["confirmed_at"] else ""))
    for name, (x, y) in info["landmarks"].items():
        source = info["landmark_sources"][name]
        if source == CARRIED:
            source = f"carried from photo {info['landmarks_carried_from'][name]}"
        print(f"  {name:<15} {x:>9.1f} {y:>9.1f}  {source}")
    for name, value in info["measures"].items():
        print(f"  {name} = {value:.2f}")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    from footlog.storage.confirm_store import confirm_photos

    with open_library(args) as lib:
        try:
            confirm_photos(lib, args.ids, by=args.by)
        except LibraryError as exc:
            raise LibraryError(f"{exc}; no photo was confirmed") from None
    print(f"Confirmed {len(set(args.ids))} photo(s).")
    return 0


def cmd_unconfirm(args: argparse.Namespace) -> int:
    from footlog.storage.confirm_store import unconfirm_photos

    with open_library(args) as lib:
        unconfirm_photos(lib, args.ids)
    print(f"Withdrew the confirmation of {len(set(args.ids))} photo(s).")
    return 0


def cmd_import_landmarks(args: argparse.Namespace) -> int:
    from footlog.labelme import import_landmarks

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    with open_library(args) as lib:
        result = import_landmarks(lib, folder)
    if args.json:
        print_json({"placed": {str(k): v for k, v in result.placed.items()},
                    "problems": result.problems})
    else:
        for pid, count in result.placed.items():
            print(f"photo {pid}: {count} landmark(s) placed; measures recomputed")
        for problem in result.problems:
            print(f"not read: {problem}")
    return 0 if result.placed or not result.problems else 1
