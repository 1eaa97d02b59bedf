"""Charts: they draw from domain data, save as valid PNG/SVG/PDF, and know their points."""

from __future__ import annotations

import hashlib
import random
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from pypdf import PdfReader
from testdata import photo_value

from footlog.charts import (
    FEET,
    overview_figure,
    photo_points,
    point_at,
    save_figure,
    scatter_figure,
    timeline_figure,
)
from footlog.charts.style import FOOT_STYLE
from footlog.cli import main
from footlog.domain.runs import Run
from footlog.domain.timeline import TimelineData, build_timeline
from footlog.storage.library import Library, utc_now_iso
from footlog.storage.run_store import add_event, save_runs
from footlog.timeline import load_timeline

START = date(2020, 1, 1)


def make_library(root: Path, sessions: int = 8, with_files: bool = True) -> Path:
    """A small library written straight into the database: two feet, repeat photos,
    two years of runs, two events. Photo files are tiny JPEGs so thumbnails work."""
    rng = random.Random(1)
    with Library.open(root) as lib:
        person = lib.person()
        runs = [
            Run(datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC)
                + timedelta(hours=7), rng.uniform(3000, 9000),
                name="Barefoot run" if rng.random() < d / 730 else "Run",
                external_id=f"t:{d}")
            for d in range(0, 730, 2)
        ]
        save_runs(lib, person, runs)
        pid = 0
        for k in range(sessions):
            day = START + timedelta(days=30 + k * 85)
            for foot in ("left", "right"):
                for j in range(2):
                    pid += 1
                    sha = hashlib.sha256(f"photo{pid}".encode()).hexdigest()
                    if with_files:
                        Image.new("RGB", (40, 30), (pid * 7 % 255, 90, 60)).save(
                            lib.photo_path(f"{sha}.jpg"))
                    cur = lib.db.execute(
                        "INSERT INTO photos (person_id, sha256, file_name, original_name, "
                        "format, byte_size, taken_at, taken_at_source, foot, view, width, "
                        "height, imported_at, status, auto_status) VALUES (?, ?, ?, ?, "
                        "'jpeg', 1, ?, 'user', ?, 'dorsal', 40, 30, ?, ?, 'ok')",
                        [person.id, sha, f"{sha}.jpg", f"p{pid}.jpg",
                         f"{day.isoformat()}T09:{j:02d}:00", foot, utc_now_iso(),
                         "review" if pid % 5 == 0 else "ok"],
                    )
                    base = 14.0 if foot == "left" else 11.0
                    for name, value in (("hallux_angle", base - 0.3 * k + rng.gauss(0, 1)),
                                        ("toe_splay", -4 + 0.2 * k + rng.gauss(0, 1)),
                                        ("toe_spread_ratio", 1.0 + rng.gauss(0, 0.02))):
                        lib.db.execute(
                            "INSERT INTO measures (photo_id, name, value, unit) "
                            "VALUES (?, ?, ?, '1')", [cur.lastrowid, name, value])
        lib.db.conn.commit()
        add_event(lib, person, date(2020, 6, 1), "Started barefoot running", "both")
        add_event(lib, person, date(2021, 3, 10), "Stubbed the left big toe", "left")
    return root


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> TimelineData:
    root = make_library(tmp_path_factory.mktemp("charts") / "library", with_files=False)
    with Library.open(root) as lib:
        return load_timeline(lib, lib.person())


def test_every_chart_saves_as_valid_png_svg_and_pdf(data: TimelineData, tmp_path: Path) -> None:
    figures = {
        "timeline": timeline_figure(data, "hallux_angle", "both"),
        "scatter": scatter_figure(data, "hallux_angle", "left"),
        "overview": overview_figure(data, "both"),
    }
    for name, fig in figures.items():
        png = save_figure(fig, tmp_path / f"{name}.png")
        with Image.open(png) as img:
            img.load()
            assert img.width > 600 and img.height > 400
            # Not blank: a chart has plenty of distinct shades.
            assert len(img.convert("L").getcolors(256) or []) > 20
        root = ET.parse(save_figure(fig, tmp_path / f"{name}.svg")).getroot()
        assert root.tag.endswith("svg")
        reader = PdfReader(save_figure(fig, tmp_path / f"{name}.pdf"))
        assert len(reader.pages) == 1
    with pytest.raises(ValueError, match="png"):
        save_figure(figures["timeline"], tmp_path / "chart.jpg")


def test_svg_is_reproducible(data: TimelineData, tmp_path: Path) -> None:
    a = save_figure(timeline_figure(data, "toe_splay", "right"), tmp_path / "a.svg")
    b = save_figure(timeline_figure(data, "toe_splay", "right"), tmp_path / "b.svg")
    assert a.read_bytes() == b.read_bytes()


def test_labels_carry_units_and_events(data: TimelineData) -> None:
    fig = timeline_figure(data, "hallux_angle", "both")
    top, bottom = fig.axes[0], fig.axes[1]
    assert top.get_ylabel() == "Hallux angle (°)"
    assert bottom.get_ylabel() == "Weekly (km)"
    assert fig.axes[2].get_ylabel() == "Cumulative barefoot (km)"
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "Started barefoot running" in texts and "(left foot)" in texts
    numbers = [t.get_text() for t in top.texts]
    assert numbers == ["1", "2"]
    legend = " ".join(t.get_text() for t in top.get_legend().get_texts())
    assert "what photos vary by" in legend and "left foot" in legend and "right foot" in legend


def test_feet_differ_in_greyscale_by_marker_and_line() -> None:
    left, right = FOOT_STYLE["left"], FOOT_STYLE["right"]
    assert left.marker != right.marker and left.linestyle != right.linestyle


def test_points_map_back_to_photos(data: TimelineData) -> None:
    fig = timeline_figure(data, "hallux_angle", "right")
    FigureCanvasAgg(fig).draw()
    points = photo_points(fig)
    ids = [i for p in points for i in p.ids]
    right_ids = {pid for pid, info in data.photos.items() if info.foot == "right"}
    assert set(ids) == right_ids
    p = points[0]
    k = 3
    x, y = p.ax.transData.transform((p.x[k], p.y[k]))
    assert point_at(fig, x, y) == p.ids[k]
    assert point_at(fig, x + 200, y + 200) is None


def test_a_range_up_to_the_calendar_ends_draws(tmp_path: Path) -> None:
    from footlog.domain.timeline import default_range_days

    with Library.open(make_library(tmp_path / "library", with_files=False)) as lib:
        whole = load_timeline(lib, lib.person(), date.min, date.max)
    assert default_range_days(whole) == (date.min, date.max)
    save_figure(timeline_figure(whole, "hallux_angle", "both"), tmp_path / "all.svg")
    assert (tmp_path / "all.svg").stat().st_size > 0


def test_empty_data_draws_a_message(tmp_path: Path) -> None:
    empty = build_timeline([], [], [])
    for fig in (timeline_figure(empty, "hallux_angle"), scatter_figure(empty, "hallux_angle"),
                overview_figure(empty)):
        save_figure(fig, tmp_path / "empty.png")
    texts = [t.get_text() for ax in timeline_figure(empty, "arch_index").axes for t in ax.texts]
    assert any("No measured" in t for t in texts)


def test_figure_is_redrawn_in_place(data: TimelineData) -> None:
    fig = timeline_figure(data, "hallux_angle", "both")
    again = timeline_figure(data, "toe_splay", "left", fig=fig)
    assert again is fig and fig.axes[0].get_ylabel() == "Toe splay (°)"
    assert {i for p in photo_points(fig) for i in p.ids} == {
        pid for pid, info in data.photos.items() if info.foot == "left"
    }
    assert set(FEET) == {"left", "right", "both"}


def test_cli_chart_and_csv_export(tmp_path: Path, capsys) -> None:
    root = make_library(tmp_path / "library", sessions=4, with_files=False)
    out = tmp_path / "timeline.pdf"
    assert main(["--library", str(root), "chart", "timeline", "--out", str(out),
                 "--measure", "toe_splay", "--foot", "left", "--from", "2020-01-01",
                 "--to", "2021-06-30"]) == 0
    assert len(PdfReader(out).pages) == 1
    err = capsys.readouterr().err
    assert "Toe splay, left" in err
    assert main(["--library", str(root), "chart", "scatter", "--out",
                 str(tmp_path / "s.svg")]) == 0
    assert main(["--library", str(root), "chart", "timeline", "--out",
                 str(tmp_path / "x.gif")]) == 1
    assert main(["--library", str(root), "chart", "timeline", "--out",
                 str(tmp_path / "y.png"), "--from", "last year"]) == 1
    assert main(["--library", str(root), "export", "csv", str(tmp_path / "csv")]) == 0
    sessions = (tmp_path / "csv" / "sessions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert sessions[0].startswith("person,measure,unit,foot,view,date,n_photos,mean,sd")
    assert len(sessions) == 1 + 4 * 2 * 3  # sessions x feet x measures
    statistics = (tmp_path / "csv" / "statistics.csv").read_text(encoding="utf-8-sig")
    assert "since" in statistics and "slope_per_1000km" in statistics


def test_text_cache_draws_the_same_picture(data: TimelineData) -> None:
    import numpy as np

    from footlog.charts.render import FigureCanvasCachedAgg, clear_text_cache

    plain = FigureCanvasAgg(timeline_figure(data, "hallux_angle", "both"))
    plain.draw()
    clear_text_cache()
    cached = FigureCanvasCachedAgg(timeline_figure(data, "hallux_angle", "both"))
    cached.draw()
    first = np.asarray(cached.buffer_rgba()).copy()
    cached.draw()  # every string from the cache now
    again = np.asarray(cached.buffer_rgba())
    assert np.array_equal(first, again)
    diff = np.abs(first.astype(int) - np.asarray(plain.buffer_rgba()).astype(int)).max(axis=2)
    # Text origins snap to whole pixels: a few edge pixels of letters differ, nothing else.
    assert (diff > 64).mean() < 0.01 and diff.mean() < 1.0


def test_the_chart_keeps_angles_of_another_line_apart() -> None:
    from footlog.charts.style import photo_points
    from footlog.charts.timeline_chart import timeline_figure
    from footlog.domain.timeline import build_timeline

    photos = [
        photo_value(i, taken_at=f"20{19 + i // 3}-0{1 + i % 3}-05T09:00:00", foot="right",
                    view="dorsal", status="ok", measures={"hallux_angle": 10.0 + (i < 3) * 4},
                    proximal_line="refined_window" if i < 3 else "heel_tangent")
        for i in range(6)
    ]
    data = build_timeline(photos, [], [], person="P")
    fig = timeline_figure(data, "hallux_angle", "right")
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert any("another line, not compared" in t for t in labels), labels
    # Every photo stays clickable, the other line's ones included.
    assert sorted(i for pts in photo_points(fig) for i in pts.ids) == list(range(6))


def test_an_untested_matplotlib_draws_without_the_text_cache(data: TimelineData,
                                                            monkeypatch) -> None:
    from footlog.charts import render

    assert render.text_cache_usable((3, 11))
    assert not render.text_cache_usable((3, 99)) and not render.text_cache_usable((4, 0))
    monkeypatch.setattr(render, "TESTED_MATPLOTLIB", ())
    render.clear_text_cache()
    canvas = render.FigureCanvasCachedAgg(timeline_figure(data, "hallux_angle", "both"))
    canvas.draw()
    assert not isinstance(canvas.get_renderer(), render.CachedTextRendererAgg)
    assert render.text_cache_size() == 0
