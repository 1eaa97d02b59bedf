"""`footlog report`: a PDF for a clinician or a reader.

Pages: summary (first and latest measures per foot, their change and whether it exceeds the
method's noise, in plain words), the timeline charts, barefoot mileage per year, the
first-versus-latest overlays, the events, and the methods. Text is real PDF text (reportlab)
set in DejaVu Sans, embedded, so that names and notes in any Latin, Greek or Cyrillic script
print as typed (see footlog.report_fonts); charts and photos are images.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from footlog import __version__
from footlog.domain.methods import CAVEATS, MEASURE_METHODS
from footlog.domain.mileage import totals
from footlog.domain.stats_text import format_value, summary_lines
from footlog.domain.views import MEASURES
from footlog.report_fonts import ReportFonts, report_fonts
from footlog.storage.library import Library, Person
from footlog.storage.run_store import list_events, list_runs

Progress = Callable[[str], None]
PAGE_WIDTH = A4[0] - 36 * mm


def _styles(fonts: ReportFonts) -> dict[str, ParagraphStyle]:
    """reportlab's sample styles, set in the embedded fonts instead of Helvetica."""
    base = getSampleStyleSheet()

    def restyle(name: str, parent: str, font: str, **more) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base[parent], fontName=font, **more)

    return {
        "title": restyle("title", "Title", fonts.bold),
        "h1": restyle("h1", "Heading1", fonts.bold),
        "h2": restyle("h2", "Heading2", fonts.bold),
        "body": restyle("body", "BodyText", fonts.regular),
        "small": restyle("small", "BodyText", fonts.regular, fontSize=8, leading=10),
    }


def _table_style(fonts: ReportFonts, *commands: tuple) -> TableStyle:
    """A table with a shaded header row in the embedded fonts, grid lines, and `commands`."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), fonts.bold, 8),
            ("FONT", (0, 1), (-1, -1), fonts.regular, 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef0")),
            *commands,
        ]
    )


def _figure_image(fig, width: float) -> Image:
    """A matplotlib figure as an image flowable `width` points wide (200 dpi PNG)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200)
    buffer.seek(0)
    w, h = fig.get_size_inches()
    return Image(buffer, width=width, height=width * h / w)


def _summary_table(data, fonts: ReportFonts) -> Table:
    rows = [["Foot", "Measure", "First", "Latest", "Change", "Noise (MDC95)", "Beyond noise"]]
    for (measure, foot), s in sorted(data.stats.series.items(), key=lambda kv: kv[0]):
        if s.change is None:
            continue
        c = s.change
        rep = s.repeatability
        noise = f"±{format_value(measure, c.mdc95)} ({rep.source})" if c.mdc95 else "unknown"
        beyond = {True: "yes", False: "no", None: "?"}[c.beyond_noise]
        # An end of the series the detector doubted is left out of the verdict: say so.
        first_note = (f"\n* {s.doubted_first.day:%Y-%m-%d} doubted, left out"
                      if s.doubted_first else "")
        latest_note = (f"\n* {s.doubted_latest.day:%Y-%m-%d} doubted, left out"
                       if s.doubted_latest else "")
        rows.append(
            [
                foot,
                MEASURES[measure].label,
                f"{format_value(measure, c.first.mean)}\n{c.first.day:%Y-%m-%d}{first_note}",
                f"{format_value(measure, c.latest.mean)}\n{c.latest.day:%Y-%m-%d}{latest_note}",
                format_value(measure, c.delta, signed=True),
                noise,
                beyond,
            ]
        )
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(fonts, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")))
    return table


def _within(day: str, date_from: date | None, date_to: date | None) -> bool:
    """Whether an ISO day ('2024-05-01') lies in the report's period (ends included)."""
    return (date_from is None or day >= date_from.isoformat()) and (
        date_to is None or day <= date_to.isoformat()
    )


def _mileage_table(
    lib: Library, person: Person, date_from: date | None, date_to: date | None, fonts: ReportFonts
) -> Table:
    runs = [r for r in list_runs(lib, person) if _within(r["start"][:10], date_from, date_to)]
    rows = [["Year", "Barefoot km", "Minimal km", "Shod km", "Unknown km", "Total km"]]
    for t in totals(runs, "year"):
        metres = (t.barefoot_m, t.minimal_m, t.shod_m, t.unknown_m, t.total_m)
        rows.append([t.key, *(f"{v / 1000:,.0f}" for v in metres)])
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(fonts, ("ALIGN", (1, 0), (-1, -1), "RIGHT")))
    return table


def _events(
    lib: Library,
    person: Person,
    date_from: date | None,
    date_to: date | None,
    styles,
    fonts: ReportFonts,
) -> list:
    """The person's events as text (the chart's key under the timeline shows only four lines)."""
    events = [e for e in list_events(lib, person) if _within(e["date"], date_from, date_to)]
    if not events:
        return []
    story: list = [Paragraph("Events", styles["h2"])]
    for e in events:
        foot = "" if e["foot"] == "both" else f" ({e['foot']} foot)"
        story.append(Paragraph(f"{e['date']}: {fonts.markup(e['text'])}{foot}", styles["body"]))
    return story


def _overlays(lib: Library, person: Person, styles, fonts: ReportFonts, progress: Progress) -> list:
    from footlog.compare import compare_photos, default_pair, render_overlay

    story: list = []
    for foot in ("left", "right"):
        for view in ("dorsal", "medial", "plantar"):
            pair = default_pair(lib, person, foot, view)
            if pair is None:
                continue
            progress(f"overlay of the {foot} foot, {view}")
            try:
                comparison = compare_photos(lib, *pair)
                picture = render_overlay(lib, comparison, max_side=1200)
            except (ValueError, OSError) as exc:
                reason = fonts.markup(str(exc))
                text = f"{foot.title()} foot, {view}: no overlay ({reason})."
                story.append(Paragraph(text, styles["body"]))
                continue
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=88)
            buffer.seek(0)
            w, h = picture.size
            height = min(190 * mm, PAGE_WIDTH * h / w)
            story.append(
                KeepTogether(
                    [
                        Paragraph(
                            f"{foot.title()} foot, {view} view: first and latest", styles["h2"]
                        ),
                        Image(buffer, width=height * w / h, height=height),
                        Paragraph(fonts.markup(comparison.summary()), styles["small"]),
                    ]
                )
            )
    return story


def _methods(styles, data) -> list:
    story: list = [Paragraph("Methods", styles["h1"])]
    present = [m for m in MEASURES if m in data.measures_present] or list(MEASURE_METHODS)
    for name in present:
        story.append(
            Paragraph(
                f"<b>{MEASURES[name].label}</b> ({MEASURES[name].unit}): {MEASURE_METHODS[name]}",
                styles["body"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Limits of the method", styles["h2"]))
    story.extend(Paragraph(text, styles["body"]) for text in CAVEATS)
    return story


def write_report(
    lib: Library,
    person: Person,
    out: Path,
    date_from: date | None = None,
    date_to: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the report PDF atomically (a failure leaves no half-written file)."""
    from footlog.charts.relation_chart import overview_figure
    from footlog.charts.timeline_chart import timeline_figure
    from footlog.timeline import load_timeline

    say = progress or (lambda _text: None)
    fonts = report_fonts()
    styles = _styles(fonts)
    say("reading the library")
    data = load_timeline(lib, person, date_from, date_to)
    first_day = min((o.taken_at.date() for o in data.observations), default=None)
    last_day = max((o.taken_at.date() for o in data.observations), default=None)
    start, end = date_from or first_day, date_to or last_day
    if start and end:
        period = f"{start:%d %B %Y} to {end:%d %B %Y}"
    elif start or end:  # a range given on one side only, with no measured photo in it
        period = f"{'from' if start else 'up to'} {start or end:%d %B %Y}: no measured photos"
    else:
        period = "no measured photos yet"
    story: list = [
        Paragraph("Foot structure report", styles["title"]),
        Paragraph(f"<b>{fonts.markup(person.name)}</b> — {period}", styles["body"]),
        Paragraph(
            f"Made with footlog {__version__} on {datetime.now():%d %B %Y}. "
            "Photographic measures, not radiographic: see Methods.",
            styles["small"],
        ),
        Spacer(1, 5 * mm),
        Paragraph("First and latest measures", styles["h1"]),
        _summary_table(data, fonts),
        Paragraph(fonts.markup(
            "Only photos the detector trusted, that you confirmed, or whose landmarks you "
            "corrected count in these figures; a photo the detector doubted is drawn in the "
            "charts but decides nothing (* marks one left out at an end). The noise is that "
            "of the two session means compared: the single-photo MDC95 times "
            "√((1/n₁ + 1/n₂)/2) for sessions of n₁ and n₂ photos."),
            styles["small"],
        ),
        Spacer(1, 4 * mm),
    ]
    said: set[str] = set()  # some sentences (about time as a confounder) hold for all
    for measure in data.measures_present:
        lines = [
            line
            for line in summary_lines(data.stats, measure)
            if "no measured photos" not in line and line not in said
        ]
        if lines:
            story.append(Paragraph(MEASURES[measure].label, styles["h2"]))
        for line in lines:
            said.add(line)
            story.append(Paragraph(fonts.markup(line), styles["body"]))
    say("drawing the timeline")
    story += [PageBreak(), Paragraph("Timeline", styles["h1"])]
    for measure in data.measures_present[:2]:
        story.append(_figure_image(timeline_figure(data, measure, "both"), PAGE_WIDTH))
    if len(data.measures_present) > 2:
        story.append(_figure_image(overview_figure(data, "both"), PAGE_WIDTH))
    story += [
        Paragraph("Distance per year", styles["h2"]),
        _mileage_table(lib, person, date_from, date_to, fonts),
        *_events(lib, person, date_from, date_to, styles, fonts),
    ]
    overlays = _overlays(lib, person, styles, fonts, say)
    if overlays:
        story += [PageBreak(), Paragraph("Then and now", styles["h1"]), *overlays]
    story += [PageBreak(), *_methods(styles, data)]

    say("writing the PDF")
    out = Path(out)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        doc = SimpleDocTemplate(
            tmp,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"Foot structure report — {person.name}",
            author="footlog",
            subject=period,
            # Else each page's canvas starts in Helvetica, which would then be listed too.
            initialFontName=fonts.regular,
        )
        doc.build(story, onLaterPages=_page_number, onFirstPage=_page_number)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(report_fonts().regular, 7)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"footlog report · page {doc.page}")
    canvas.restoreState()
