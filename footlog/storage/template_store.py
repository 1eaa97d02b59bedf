"""The person's confirmed photos as carrying needs them: which there are for a foot and
view, and the cached grey neighbourhood of each one's toes (table `template_images`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from footlog.storage.library import Library


@dataclass(frozen=True)
class ConfirmedPhoto:
    """A confirmed photo of a foot: its landmarks and outline (full px), its floor
    homography (full px -> mm) when it has a calibration, and where its original is."""

    photo_id: int
    landmarks: dict[str, tuple[float, float]]
    outline: np.ndarray
    homography: np.ndarray | None
    file_name: str
    size: tuple[int, int]  # (width, height), full px


@dataclass(frozen=True)
class TemplateImage:
    gray: np.ndarray  # uint8, the grey neighbourhood of the toes
    scale: float  # full-resolution px per pixel of `gray`
    origin: tuple[float, float]  # full px of gray's top-left corner


def confirmed_landmarks(lib: Library, person_id: int, foot: str, view: str, exclude: int
                        ) -> dict[int, dict[str, tuple[float, float]]]:
    """The landmarks (full px) of the person's confirmed photos of this foot and view (not
    in the trash, with an outline), except `exclude`, most recently confirmed first: one
    query, however many there are, so that all can be ranked before any is read whole."""
    out: dict[int, dict[str, tuple[float, float]]] = {}
    for pid, name, x, y in lib.db.execute(
            "SELECT p.id, l.name, l.x, l.y FROM photos p JOIN landmarks l ON l.photo_id = p.id "
            "WHERE p.person_id = ? AND p.foot = ? AND p.view = ? AND p.id != ? "
            "AND p.confirmed_at IS NOT NULL AND p.deleted_at IS NULL "
            "AND p.outline IS NOT NULL ORDER BY p.confirmed_at DESC, p.id DESC",
            [person_id, foot, view, exclude]):
        out.setdefault(int(pid), {})[name] = (float(x), float(y))
    return out


def confirmed_photo(lib: Library, photo_id: int,
                    landmarks: dict[str, tuple[float, float]]) -> ConfirmedPhoto:
    """The rest of what carrying needs of one confirmed photo whose landmarks are known."""
    outline, calibration, file_name, width, height = lib.db.execute(
        "SELECT outline, calibration, file_name, width, height FROM photos WHERE id = ?",
        [photo_id]).fetchone()
    h = (json.loads(calibration) or {}).get("homography") if calibration else None
    return ConfirmedPhoto(photo_id, landmarks, np.asarray(json.loads(outline), float),
                          None if h is None else np.asarray(h, float), file_name,
                          (int(width), int(height)))


def load_template_image(lib: Library, photo_id: int) -> TemplateImage | None:
    import cv2

    row = lib.db.execute("SELECT scale, origin_x, origin_y, png FROM template_images "
                         "WHERE photo_id = ?", [photo_id]).fetchone()
    if row is None:
        return None
    gray = cv2.imdecode(np.frombuffer(row[3], np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        return None  # a damaged cache entry is rebuilt from the original
    return TemplateImage(gray, float(row[0]), (float(row[1]), float(row[2])))


def store_template_image(lib: Library, photo_id: int, image: TemplateImage) -> None:
    import cv2

    ok, png = cv2.imencode(".png", image.gray)
    if not ok:
        return
    with lib.db.atomic():
        lib.db.execute(
            "INSERT OR REPLACE INTO template_images (photo_id, scale, origin_x, origin_y, png) "
            "VALUES (?, ?, ?, ?, ?)",
            [photo_id, image.scale, image.origin[0], image.origin[1], png.tobytes()])
