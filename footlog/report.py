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
    CondPageBreak,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from footlog import __version__
from footlog.domain.measure_guide import GUIDES, MDC95_IN_ONE_LINE
from footlog.domain.methods import CAVEATS, MEASURE_METHODS
from footlog.domain.mileage import totals
from footlog.domain.stats_text import TO_A_READER, format_value, plain_summary
from footlog.domain.views import MEASURES
from footlog.report_fonts import ReportFonts, report_fonts
from footlog.storage.library import Library, Person
from footlog.storage.run_store import list_events, list_runs

Progress = Callable[[str], None]
PAGE_WIDTH = A4[0] - 36 * mm
# Room a section needs at the foot of a page to start there rather than on the next one.
CHART_ROOM = 90 * mm
CHART_WIDTH = 0.82 * PAGE_WIDTH  # two timeline charts and their heading share a page
UNIT_WORDS = {"deg": "degrees", "mm": "mm", "1": "a ratio, no unit"}
OVERLAY_HEIGHT = 115 * mm  # two overlays, or one and the methods, share a page


def _styles(fonts: ReportFonts) -> dict[str, ParagraphStyle]:
    """reportlab's sample styles, set in the embedded fonts instead of Helvetica."""
    base = getSampleStyleSheet()

    def restyle(name: str, parent: str, font: str, **more) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base[parent], fontName=font, **more)

    return {
        "title": restyle("title", "Title", fonts.bold),
        # A heading never ends a page: it moves to the next with what it heads.
        "h1": restyle("h1", "Heading1", fonts.bold, keepWithNext=1),
        "h2": restyle("h2", "Heading2", fonts.bold, keepWithNext=1),
        "methods": restyle("methods", "BodyText", fonts.regular, fontSize=8.5, leading=10.5),
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


# Where the noise figure of a row comes from (statistics.Repeatability.source), in words.
NOISE_SOURCE_WORDS = {
    "own": "from the person's repeat photos",
    "published": "published figure",
    "own_few": "from few repeat photos: rough",
    "none": "not known yet",
}


def _summary_table(data, fonts: ReportFonts) -> Table:
    rows = [["Foot", "Measure", "First", "Latest", "Change", "Noise (MDC95)",
             "Beyond noise"]]
    for (measure, foot), s in sorted(data.stats.series.items(), key=lambda kv: kv[0]):
        if s.change is None:
            continue
        c = s.change
        rep = s.repeatability
        noise = (f"±{format_value(measure, c.mdc95)}\n{NOISE_SOURCE_WORDS[rep.source]}"
                 if c.mdc95 else "not known yet")
        beyond = {True: "yes", False: "no", None: "cannot tell"}[c.beyond_noise]
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
    from footlog.imaging.photo_io import PhotoError

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
            except (ValueError, OSError, PhotoError) as exc:  # a photo's file lost or damaged
                reason = fonts.markup(str(exc))
                text = f"{foot.title()} foot, {view}: no overlay ({reason})."
                story.append(Paragraph(text, styles["body"]))
                continue
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=88)
            buffer.seek(0)
            w, h = picture.size
            height = min(OVERLAY_HEIGHT, PAGE_WIDTH * h / w)
            story.append(
                KeepTogether(
                    [
                        Paragraph(
                            f"{foot.title()} foot, {view} view: first and latest", styles["h2"]
                        ),
                        Image(buffer, width=height * w / h, height=height),
                        Paragraph(_overlay_legend(comparison), styles["body"]),
                    ]
                )
            )
    return story


def _words(data, styles, fonts: ReportFonts) -> list:
    """Per measure: the plain lead of each foot, then the numbers behind it in small type."""
    story: list = []
    said: set[str] = set()  # some sentences (about time as a confounder) hold for all
    for measure in data.measures_present:
        words = plain_summary(data.stats, measure, voice=TO_A_READER)
        lead = [line for line in words.lead if "no measured photos" not in line]
        details = [line for line in words.details if line not in said]
        said.update(details)
        if not lead and not details:
            continue
        block = [Paragraph(MEASURES[measure].label, styles["h2"])]
        block += [Paragraph(fonts.markup(line), styles["body"]) for line in lead]
        block += [Paragraph(fonts.markup(line), styles["small"]) for line in details]
        story.append(KeepTogether(block))
    return story


def _overlay_legend(comparison) -> str:
    """What the overlay shows, in words a reader needs no key for."""
    from footlog.compare import FIRST_COLOUR, SECOND_COLOUR

    a = comparison.alignment
    mirrored = " The photos are of opposite feet: one is mirrored." if comparison.mirrored else ""
    return (
        f"<font color='{_hex(FIRST_COLOUR)}'><b>Blue</b>: first photo, "
        f"{comparison.first.taken_at[:10]}</font>; "
        f"<font color='{_hex(SECOND_COLOUR)}'><b>orange</b>: latest photo, "
        f"{comparison.second.taken_at[:10]}</font>. The latest is laid over the first by "
        f"matching {len(a.names)} landmarks; after that, matching landmarks lie "
        f"{a.residual_rms:.1f} {comparison.units} apart on average (a measure of how well "
        f"the photos line up, not a change).{mirrored}"
    )


def _hex(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _methods(styles, data) -> list:
    story: list = [Paragraph("Methods", styles["h1"])]
    present = [m for m in MEASURES if m in data.measures_present] or list(MEASURE_METHODS)
    for name in present:
        g = GUIDES[name]
        story.append(
            Paragraph(
                f"<b>{g.label}</b> ({UNIT_WORDS.get(g.unit, g.unit)}): "
                f"{MEASURE_METHODS[name]} "
                + (f"Sign: {g.sign}. " if g.sign else "")
                + f"Larger: {g.larger} Smaller: {g.smaller} {g.trust_text()}",
                styles["methods"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Limits of the method", styles["h2"]))
    story.extend(Paragraph(text, styles["methods"]) for text in CAVEATS)
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
        Spacer(1, 1.5 * mm),
        Paragraph(fonts.markup(
            f"{MDC95_IN_ONE_LINE} Only photos the detector trusted, that the person "
            "confirmed, or whose landmarks the person corrected count in these figures; a "
            "photo the detector doubted is drawn in the charts but decides nothing (* marks "
            "one left out at an end). Between two days of several photos each the noise is "
            "smaller: the single-photo MDC95 times √((1/n₁ + 1/n₂)/2) for days of n₁ and n₂ "
            "photos."),
            styles["small"],
        ),
        Spacer(1, 3 * mm),
        *_words(data, styles, fonts),
    ]
    say("drawing the timeline")
    # Sections follow on the same page when there is room: no page mostly empty.
    story += [CondPageBreak(CHART_ROOM), Paragraph("Timeline", styles["h1"])]
    for measure in data.measures_present[:2]:
        story.append(_figure_image(timeline_figure(data, measure, "both"), CHART_WIDTH))
    if len(data.measures_present) > 2:
        story.append(_figure_image(overview_figure(data, "both"), CHART_WIDTH))
    story.append(KeepTogether([
        Paragraph("Distance per year", styles["h2"]),
        _mileage_table(lib, person, date_from, date_to, fonts),
    ]))
    story += _events(lib, person, date_from, date_to, styles, fonts)
    overlays = _overlays(lib, person, styles, fonts, say)
    if overlays:
        story += [CondPageBreak(OVERLAY_HEIGHT + 20 * mm),
                  Paragraph("Then and now", styles["h1"]), *overlays]
    story += [Spacer(1, 4 * mm), *_methods(styles, data)]

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
