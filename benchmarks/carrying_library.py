"""Confirmed photos in a library: one photo of each same-foot series confirmed, the others
imported and measured, as a person would do it from the command line.

For each series of one foot in tests/data (the carpet series 1, 2, 3, aaa, bbb, r, t and the
concrete series dd, gg, tt) and each choice of template: a new library; the template is
imported, its reference landmarks placed (`footlog landmarks ID --set FILE.json`) and
confirmed (`footlog confirm ID`); then the others are imported with their foot and view,
and measured (carrying from the confirmed photo happens there). Printed per template: the
SD over the series (the template included) of the hallux angle and the toe splay, the
median distance of the stored landmarks of the other photos to the references (% of
forefoot width W, over landmarks whose stated reference uncertainty is below 2 % W), their
statuses, and how many landmarks were carried. The first line of each series is the
library without a confirmed photo (the detector alone); the last, "(all others)", confirms
every photo but one and imports that one, for each photo in turn (the SD is then over the
photos left out, each measured with all the others confirmed).

Timing: carrying onto one photo (`footlog.carrying.carry_onto`, its cached templates
warm) and cutting a template's image the first time (from a 12 MP re-encode), each against
a full decode of a 12 MP JPEG, in the same run.

Generated scenes (`--scenes N`, seed 7; never used for a choice): of N scenes, those that
show a foot of the carpet series (the same foot, photographed seven times, each on
generated floors and pages by generated cameras) form one series whose truth is exact;
each of its first three scenes in turn is confirmed with its true landmarks and the others
are imported. Printed: the median distance to the truth of the toe tips and the 1-2 web,
and of all landmarks, with and without the confirmed scene, and the statuses.

    python benchmarks/carrying_library.py [--scenes N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import _twelve_mp, best_of  # noqa: E402

import footlog.carrying as carrying  # noqa: E402
from footlog.cli import main as footlog  # noqa: E402

PHOTOS = ROOT / "tests" / "data" / "photos"
CARRY_MS: list[tuple[float, int]] = []  # each carrying's time (ms), with the confirmed count
WARM_FROM: list[int] = []  # indices into CARRY_MS of carryings with cached templates
SERIES = {"carpet": ["1", "2", "3", "aaa", "bbb", "r", "t"], "concrete": ["dd", "gg", "tt"]}


def run(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = footlog(list(argv))
    if code != 0:
        raise RuntimeError(f"footlog {' '.join(argv)} -> {code}")
    return out.getvalue()


def reference(name: str) -> dict:
    return json.loads((PHOTOS / f"ala-jaidi__{name}.jpg.json").read_text())


def import_photo(lib: str, name: str) -> int:
    ref = reference(name)
    out = run("--library", lib, "import", "--json", "--foot", ref["side"], "--view", "dorsal",
              str(PHOTOS / f"ala-jaidi__{name}.jpg"))
    return int(json.loads(out)[0]["photo_id"])


def sd(values: list[float]) -> float:
    values = [v for v in values if v is not None and np.isfinite(v)]
    return statistics.stdev(values) if len(values) >= 2 else float("nan")


def score(name: str, info: dict, errors: list[float], statuses: list[str]) -> int:
    """Add photo `name`'s landmark errors (% W, reference uncertainty under 2 % W) and its
    status; return how many of its landmarks were carried."""
    ref = reference(name)
    lm = {k: np.asarray(v, float) for k, v in ref["landmarks"].items()}
    W = float(np.linalg.norm(lm["mt1_medial"] - lm["mt5_lateral"]))
    for k, r in lm.items():
        if ref["uncertainty_px"].get(k, 1e9) < 0.02 * W and k in info["landmarks"]:
            errors.append(100 * float(np.linalg.norm(np.asarray(info["landmarks"][k]) - r)) / W)
    statuses.append(info["status"])
    return len(info["landmarks_carried_from"])


def series_row(names: list[str], template: str | None) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        lib = str(Path(tmp) / "lib")
        ids: dict[str, int] = {}
        if template is not None:
            ids[template] = import_photo(lib, template)
            run("--library", lib, "landmarks", str(ids[template]), "--set",
                str(PHOTOS / f"ala-jaidi__{template}.jpg.json"))
            run("--library", lib, "confirm", str(ids[template]))
        for n in names:
            if n != template:
                ids[n] = import_photo(lib, n)
        infos = {n: json.loads(run("--library", lib, "landmarks", str(i), "--json"))
                 for n, i in ids.items()}
    errors, statuses, carried = [], [], 0
    for n, info in infos.items():
        if n == template:
            continue
        carried += score(n, info, errors, statuses)
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(sorted(statuses)))
    return [template or "(none: detector)",
            f"{sd([i['measures'].get('hallux_angle') for i in infos.values()]):.2f}",
            f"{sd([i['measures'].get('toe_splay') for i in infos.values()]):.2f}",
            f"{np.median(errors):.2f}" if errors else "-", counts, str(carried)]


def import_file(lib: str, path: Path, foot: str) -> int:
    out = run("--library", lib, "import", "--json", "--foot", foot, "--view", "dorsal", str(path))
    return int(json.loads(out)[0]["photo_id"])


def scene_series(count: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from scene_generator import generate_scene, scene_seeds

    carpet = {f"ala-jaidi__{n}" for n in SERIES["carpet"]}
    points = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip", "cleft12")
    with tempfile.TemporaryDirectory() as tmp:
        scenes = []
        for seed in scene_seeds(count, 7):
            scene = generate_scene(seed)
            if scene.truth.source in carpet:
                path = Path(tmp) / f"scene_{seed}.jpg"
                path.write_bytes(scene.jpeg)
                truth = {k: np.asarray(v, float) for k, v in scene.truth.landmarks.items()}
                scenes.append((seed, path, truth))
        print(f"\n## scenes of the carpet series: {len(scenes)} of {count} (seed 7)")
        print("| template scene | median error, tips and web % W | all landmarks % W | statuses "
              "| carried |")
        print("|---|---|---|---|---|")
        for t in (None, *range(min(3, len(scenes)))):
            lib = str(Path(tmp) / f"lib{t}")
            ids = {}
            if t is not None:
                seed, path, truth = scenes[t]
                ids[seed] = import_file(lib, path, "right")
                pts = Path(tmp) / "truth.json"
                pts.write_text(json.dumps({"landmarks": {k: list(v) for k, v in truth.items()}}))
                run("--library", lib, "landmarks", str(ids[seed]), "--set", str(pts))
                run("--library", lib, "confirm", str(ids[seed]))
            for seed, path, _ in scenes:
                if seed not in ids:
                    ids[seed] = import_file(lib, path, "right")
            e_pts, e_all, statuses, carried = [], [], [], 0
            for seed, _, truth in scenes:
                if t is not None and seed == scenes[t][0]:
                    continue
                info = json.loads(run("--library", lib, "landmarks", str(ids[seed]), "--json"))
                W = float(np.linalg.norm(truth["mt1_medial"] - truth["mt5_lateral"]))
                for k, r in truth.items():
                    if k in info["landmarks"]:
                        e = 100 * float(np.linalg.norm(np.asarray(info["landmarks"][k]) - r)) / W
                        e_all.append(e)
                        if k in points:
                            e_pts.append(e)
                statuses.append(info["status"])
                carried += len(info["landmarks_carried_from"])
            counts = ", ".join(f"{statuses.count(x)} {x}" for x in dict.fromkeys(sorted(statuses)))
            name = "(none: detector)" if t is None else f"{scenes[t][0]}"
            print(f"| {name} | {np.median(e_pts):.2f} | {np.median(e_all):.2f} | {counts} "
                  f"| {carried} |", flush=True)


def leave_one_out(names: list[str]) -> list[str]:
    """Every photo of the series but one confirmed with its references, the one left out
    imported: the more photos a person has confirmed (CANDIDATES of them registered)."""
    errors, statuses, carried, values = [], [], 0, {"hallux_angle": [], "toe_splay": []}
    for left in names:
        with tempfile.TemporaryDirectory() as tmp:
            lib = str(Path(tmp) / "lib")
            for n in names:
                if n == left:
                    continue
                pid = import_photo(lib, n)
                run("--library", lib, "landmarks", str(pid), "--set",
                    str(PHOTOS / f"ala-jaidi__{n}.jpg.json"))
                run("--library", lib, "confirm", str(pid))
            pid = import_photo(lib, left)
            # Once more, its confirmed photos' images now cached (timed: see timing()).
            WARM_FROM.append(len(CARRY_MS))
            run("--library", lib, "measure-again", str(pid))
            info = json.loads(run("--library", lib, "landmarks", str(pid), "--json"))
        carried += score(left, info, errors, statuses)
        for m in values:
            values[m].append(info["measures"].get(m))
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(sorted(statuses)))
    return ["(all others)", f"{sd(values['hallux_angle']):.2f}", f"{sd(values['toe_splay']):.2f}",
            f"{np.median(errors):.2f}" if errors else "-", counts, str(carried)]


def timing(carry_ms: list[tuple[float, int]]) -> None:
    """Carrying's cost against a 12 MP decode, in this run."""
    with tempfile.TemporaryDirectory() as tmp:
        big = _twelve_mp(PHOTOS / "ala-jaidi__2.jpg", Path(tmp))

        def decode() -> None:
            with Image.open(big) as im:
                im.load()

        t_decode, _ = best_of(decode, 5)
        lib = str(Path(tmp) / "lib")
        run("--library", lib, "import", "--foot", "right", "--view", "dorsal", str(big))
        from footlog.storage.library import Library
        from footlog.storage.template_store import confirmed_landmarks, confirmed_photo

        ref = reference("2")
        k = Image.open(big).width / Image.open(PHOTOS / "ala-jaidi__2.jpg").width
        scaled = {"landmarks": {n: [x * k, y * k] for n, (x, y) in ref["landmarks"].items()}}
        points = Path(tmp) / "points.json"
        points.write_text(json.dumps(scaled))
        run("--library", lib, "landmarks", "1", "--set", str(points))
        run("--library", lib, "confirm", "1")
        with Library.open(Path(lib)) as library:
            c = confirmed_photo(library, 1,
                                confirmed_landmarks(library, 1, "right", "dorsal", exclude=0)[1])
            lm = {n: np.asarray(p, float) for n, p in c.landmarks.items()}
            box = carrying._crop_box(lm, float(np.linalg.norm(lm["mt1_medial"]
                                                              - lm["mt5_lateral"])), c.size)
            t_cut, _ = best_of(lambda: carrying._cut_template_image(library, c, box), 3)
    print(f"\n12 MP full decode: {1000 * t_decode:.0f} ms")
    # With several confirmed photos, the photo left out is measured again once its
    # templates' images are cached (leave_one_out): those runs are the warm ones.
    many = [carry_ms[i][0] for i in WARM_FROM if i < len(carry_ms)]
    for label, times in (("one confirmed photo", [ms for ms, n in carry_ms if n == 1]),
                         (f"{carrying.CANDIDATES} or more", many)):
        if times:
            med = statistics.median(times)
            print(f"carrying onto a photo, {label} (templates cached), median of {len(times)}: "
                  f"{med:.0f} ms = {med / 1000 / t_decode:.2f} x the decode")
    print(f"cutting a template's image the first time (12 MP original): {1000 * t_cut:.0f} ms"
          f" = {t_cut / t_decode:.2f} x the decode")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=0, metavar="N")
    args = parser.parse_args()
    carry_ms = CARRY_MS
    inner = carrying.carry_onto

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        inner(*args, **kwargs)
        ms = 1000 * (time.perf_counter() - t)
        confirmed = carrying.confirmed_landmarks(args[0], args[1].person_id,
                                                 str(args[2].foot), str(args[2].view),
                                                 args[1].id)
        if confirmed:
            carry_ms.append((ms, len(confirmed)))

    carrying.carry_onto = timed  # type: ignore[assignment]
    for series, names in SERIES.items():
        print(f"\n## {series} ({', '.join(names)})")
        print("| template | hallux SD | splay SD | median error % W | statuses | carried |")
        print("|---|---|---|---|---|---|")
        for template in (None, *names):
            print("| " + " | ".join(series_row(names, template)) + " |", flush=True)
        print("| " + " | ".join(leave_one_out(names)) + " |", flush=True)
    carrying.carry_onto = inner  # type: ignore[assignment]
    timing(carry_ms)
    if args.scenes:
        scene_series(args.scenes)


if __name__ == "__main__":
    main()
