"""Commands about photos: import, list, measure, compare."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footlog.commands.common import (
    UsageError,
    open_library,
    print_json,
    printable,
    progress_bar,
    selected_person,
)
from footlog.domain.views import MEASURES, Foot, View

if TYPE_CHECKING:  # not imported at start-up: it needs numpy
    from footlog.domain.photo import Photo


def _photo_json(p: Photo, feet: Mapping[str, Any] | None = None,
                sources: Mapping[str, str] | None = None,
                carried: Mapping[str, int] | None = None) -> dict[str, Any]:
    """One object of `photos --json`: `feet` (`feet_store.feet_json`), `sources` and
    `carried` (`landmarks.landmark_sources`) of the photo, when read."""
    feet = feet or {}
    taken = datetime.fromisoformat(p.taken_at)
    if p.utc_offset_min is not None:
        from datetime import timedelta, timezone

        taken = taken.replace(tzinfo=timezone(timedelta(minutes=p.utc_offset_min)))
    return {
        "id": p.id,
        "sha256": p.sha256,
        "person": p.person,
        "taken_at": taken.isoformat(),
        "taken_at_source": p.taken_at_source,
        "foot": p.foot,
        "view": p.view,
        "status": p.status,
        "measures": p.measures,
        "warnings": p.warnings,
        # The hallux angle's proximal line (heel_tangent or refined_window), or null.
        "proximal_line": p.proximal_line,
        # Who confirmed the photo's landmarks and when (status `confirmed`), or null.
        "confirmed_at": p.confirmed_at,
        "confirmed_by": p.confirmed_by,
        # Where each landmark came from: "detector" or "person".
        "landmark_sources": dict(sources or {}),
        "landmarks_carried_from": dict(carried or {}),
        "original_name": p.original_name,
        "width": p.width,
        "height": p.height,
        "note": p.note,
        "deleted_at": p.deleted_at,
        # A photo of both feet lists each foot (see footlog.storage.feet_store).
        "original_id": p.original_id or p.id,
        "feet_in_photo": feet.get("feet_in_photo", 1),
        "region": feet.get("region"),
    }


def cmd_import(args: argparse.Namespace) -> int:
    from footlog.app import import_photos
    from footlog.storage.photo_store import walk_photo_paths

    paths = [Path(p) for p in args.paths]
    if getattr(args, "watch", False) and (len(paths) != 1 or not paths[0].is_dir()):
        raise UsageError("--watch takes one folder: footlog import --watch DIR")
    with open_library(args) as lib:
        person = lib.person(args.person)
        total = sum(1 for _ in walk_photo_paths(paths))
        report = import_photos(
            lib,
            paths,
            person,
            foot=Foot(args.foot) if args.foot else None,
            view=View(args.view) if args.view else None,
            progress=progress_bar(total, "photo"),
            measure=not args.no_measure,
        )
        feet = _feet_of(lib, [o.photo_id for o in report.outcomes if o.photo_id is not None])
    if args.json:
        print_json(
            [
                {
                    "path": str(o.path),
                    "result": o.result,
                    "photo_id": o.photo_id,
                    "reason": o.reason,
                    # Each foot of the photo: [{"photo_id", "foot"}], two for both feet.
                    "feet": feet.get(o.photo_id, []) if o.photo_id is not None else [],
                }
                for o in report.outcomes
            ]
        )
    else:
        for o in report.outcomes:
            if o.result == "duplicate":
                print(f"{printable(o.path)}: already in the library (photo {o.photo_id})")
            elif o.result == "error":
                print(
                    f"footlog: {printable(o.path)}: not imported: {printable(o.reason)}",
                    file=sys.stderr,
                )
        added, dup, err = (len(report.of(r)) for r in ("added", "duplicate", "error"))
        print(f"{added} photo(s) added, {dup} already there, {err} not imported")
    if getattr(args, "watch", False):
        return _watch(args, paths[0])
    return 1 if report.of("error") else 0


def _watch(args: argparse.Namespace, folder: Path) -> int:
    """Import the photos that arrive in `folder` once each has stopped growing, until
    Ctrl+C (or --watch-seconds), one line per photo (a JSON object per line with --json)."""
    import json
    import time

    from footlog.app import import_photos
    from footlog.folder_watch import SCAN_EVERY_S, FolderWatch

    watch = FolderWatch(folder)
    watch.know()  # what is there now was imported above
    if not args.json:
        print(f"Watching {printable(folder)} for new photos (Ctrl+C stops).", flush=True)
    stop = None if args.watch_seconds is None else time.monotonic() + args.watch_seconds
    try:
        while stop is None or time.monotonic() < stop:
            time.sleep(args.watch_every or SCAN_EVERY_S)
            ready = watch.scan(time.monotonic())
            if not ready:
                continue
            with open_library(args) as lib:
                report = import_photos(lib, ready, lib.person(args.person),
                                       foot=Foot(args.foot) if args.foot else None,
                                       view=View(args.view) if args.view else None,
                                       measure=not args.no_measure)
            for o in report.outcomes:
                if args.json:
                    print(json.dumps({"path": str(o.path), "result": o.result,
                                      "photo_id": o.photo_id, "reason": o.reason}), flush=True)
                else:
                    print(f"{printable(o.path)}: {o.result}"
                          + (f" (photo {o.photo_id})" if o.photo_id else "")
                          + (f": {printable(o.reason)}" if o.reason else ""), flush=True)
    except KeyboardInterrupt:
        pass
    return 0


def _feet_of(lib: Any, photo_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The feet rows of each imported photo, for `import --json`."""
    from footlog.storage.feet_store import photo_feet

    return {i: [{"photo_id": f.photo_id, "foot": str(f.foot)} for f in photo_feet(lib, i)]
            for i in photo_ids}


def cmd_photos(args: argparse.Namespace) -> int:
    from footlog.storage.photo_store import list_photos

    deleted = bool(getattr(args, "deleted", False))
    with open_library(args) as lib:
        person = selected_person(lib, args)
        photos = list_photos(lib, person, deleted=deleted)
        if args.json:
            from footlog.commands.landmarks import landmark_sources
            from footlog.storage.feet_store import feet_json

            sources, carried = landmark_sources(lib, [p.id for p in photos])
            listing = [_photo_json(p, feet_json(lib, p), sources[p.id], carried[p.id])
                       for p in photos]
    if args.json:
        print_json(listing)
        return 0
    if not photos:
        print(
            "The trash is empty."
            if deleted
            else "No photos yet. Import some with: footlog import PHOTO_OR_FOLDER"
        )
        return 0
    for p in photos:
        main = ", ".join(f"{k}={v:.1f}" for k, v in list(p.measures.items())[:2])
        print(
            f"{p.id:>5}  {p.taken_at[:16]}  {p.foot:<7} {p.view:<8} "
            f"{p.status:<9} {main}  {printable(p.original_name)}"
        )
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    from footlog.imaging.photo_io import PhotoError
    from footlog.measuring import measure_file

    try:
        result = measure_file(
            Path(args.photo),
            View(args.view) if args.view else View.UNKNOWN,
            Foot(args.foot) if args.foot else Foot.UNKNOWN,
            args.paper,
        )
    except PhotoError as exc:
        raise UsageError(f"{args.photo}: {exc.reason}") from exc
    if args.json:
        out = result.to_json()
        # Both feet of a photo showing two, each measured alone (`measuring.feet_json`).
        out["feet"] = result.extras.get("feet", [])
        out["feet_in_photo"] = len(out["feet"]) or 1
        print_json(out)
    else:
        feet = result.extras.get("feet") or [result.to_json()]
        if len(feet) > 1:
            print("the photo shows both feet: each is measured on its own")
        for foot in feet:
            print(f"{foot['view']} view, {foot['foot']} foot: {foot['status']}")
            for name, value in foot["measures"].items():
                unit = MEASURES[name].unit
                print(f"  {MEASURES[name].label}: {value:.1f}"
                      f"{'' if unit == '1' else ' ' + unit}")
            for warning in foot["warnings"]:
                print(f"  ! {warning}")
    return 0


def cmd_paper(args: argparse.Namespace) -> int:
    """Show the library's paper (the plain page under the foot when its shape cannot tell
    A4 from Letter), or set it; photos measured afterwards use it."""
    from footlog.library_measuring import library_paper
    from footlog.measuring import PAPER_SETTING

    with open_library(args) as lib:
        if args.paper is not None:
            lib.set_setting(PAPER_SETTING, args.paper)
        paper = library_paper(lib)
    print(f"paper: {paper} (a page's shape tells A4 from Letter when it can; "
          f"otherwise {paper} is assumed)")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from footlog.compare import compare_photos, render_overlay
    from footlog.imaging.photo_io import PhotoError

    with open_library(args) as lib:
        try:
            comparison = compare_photos(lib, args.first, args.second)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        try:
            image = render_overlay(lib, comparison, opacity=args.opacity, curtain=args.curtain)
        except PhotoError as exc:  # the library's copy went missing or was changed
            raise UsageError(
                f"a photo's file in the library cannot be read ({exc}): `footlog check` "
                "lists what is missing or damaged"
            ) from exc
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise UsageError("the overlay is written as PNG or JPEG: give --out FILE.png")
    image.save(out)
    print(printable(comparison.summary()))
    for name, diff in comparison.differences().items():
        unit = MEASURES[name].unit if name in MEASURES else ""
        print(
            f"  {name}: {comparison.measures_first[name]:.2f} -> "
            f"{comparison.measures_second[name]:.2f} ({diff:+.2f} {unit})"
        )
    return 0


def cmd_delete_photo(args: argparse.Namespace) -> int:
    """Move photos to the trash (restorable until the trash is emptied)."""
    from footlog.storage.photo_store import trash_photos

    with open_library(args) as lib:
        moved = trash_photos(lib, args.ids)
    for photo_id in args.ids:
        state = "moved to the trash" if photo_id in moved else "was already in the trash"
        print(f"photo {photo_id} {state}")
    print("Restore with: footlog restore-photo ID; delete for good with: footlog empty-trash")
    return 0


def cmd_restore_photo(args: argparse.Namespace) -> int:
    """Take photos back out of the trash, with their landmarks and measures."""
    from footlog.storage.photo_store import restore_photos

    with open_library(args) as lib:
        restored = restore_photos(lib, args.ids)
    for photo_id in args.ids:
        state = "restored" if photo_id in restored else "was not in the trash"
        print(f"photo {photo_id} {state}")
    return 0


def cmd_empty_trash(args: argparse.Namespace) -> int:
    from footlog.storage.photo_store import empty_trash

    with open_library(args) as lib:
        count = empty_trash(lib, args.ids or None)
    print(f"{count} photo(s) deleted for good (your original files are not touched)")
    return 0


def cmd_measure_again(args: argparse.Namespace) -> int:
    """Run the detector again; print every photo whose status or measures changed."""
    from footlog.app import measure_again
    from footlog.storage.photo_store import list_photos, orphaned_pending

    chosen = sum(bool(x) for x in (args.ids, args.pending, args.all))
    if chosen != 1:
        raise UsageError("say which photos: IDs, --pending or --all (one of them)")
    with open_library(args) as lib:
        if args.all:
            ids = [p.id for p in reversed(list_photos(lib, selected_person(lib, args)))]
        elif args.pending:
            ids = orphaned_pending(lib)
        else:
            ids = list(args.ids)
        if args.preview:
            from footlog.remeasure import preview_measure_again

            pending = preview_measure_again(lib, ids, progress=progress_bar(len(ids), "photo"))
            changes = [p.change for p in pending]  # largest change first
        else:
            changes = measure_again(lib, ids, progress=progress_bar(len(ids), "photo"))
    problems = [c for c in changes if c.problem]
    if args.json:
        print_json(
            [
                {
                    "photo_id": c.photo_id,
                    "status_before": c.status_before,
                    "status_after": c.status_after,
                    "measures_before": c.before,
                    "measures_after": c.after,
                    "problem": c.problem,
                }
                for c in changes
            ]
        )
        return 1 if problems else 0
    for c in problems:
        print(
            f"footlog: photo {c.photo_id}: not measured again, {printable(c.problem)} (kept as "
            "it was; `footlog check` lists what is wrong)",
            file=sys.stderr,
        )
    for c in changes:
        if not c.changed:
            continue
        parts = [f"status {c.status_before} -> {c.status_after}"] if (
            c.status_before != c.status_after
        ) else []
        for name in sorted(set(c.before) | set(c.after)):
            old, new = c.before.get(name), c.after.get(name)
            if old != new:
                parts.append(f"{name} {_number(old)} -> {_number(new)}")
        print(f"photo {c.photo_id}: " + "; ".join(parts))
    measured = len(changes) - len(problems)
    unchanged = sum(not c.changed for c in changes) - len(problems)
    if args.preview:
        print(f"{measured} photo(s) measured again, {measured - unchanged} would change; "
              "nothing was saved (run without --preview to save)")
    else:
        print(f"{measured} photo(s) measured again, {measured - unchanged} changed")
    return 1 if problems else 0


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:.2f}"
