"""The Help pages: Measures, Taking Photos and Keyboard Shortcuts.

Each page is rich text in a QTextBrowser, its pictures drawn by matplotlib
(footlog.charts.measure_pictures, capture_pictures) and handed to the document as image
resources, so nothing is written to disk. The words come from the domain
(footlog.domain.measure_guide, capture_guide): the report says the same. The shortcuts page
is generated from the window's own actions, so it never lists a key that has changed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QAction, QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.capture_guide import CAPTURE_STEPS
from footlog.domain.measure_guide import GUIDES, MDC95_IN_ONE_LINE
from footlog.domain.methods import CAVEATS
from footlog.domain.views import View

PAGE_SIZE = (820, 660)  # px: a dialog beside the window, long pages scroll
PICTURE_HEIGHT_PX = 200  # each measure's picture on the Measures page
# Keys the photo editor reads itself (keyPressEvent, not actions), so they cannot be read
# off an action; tests/test_gui_confirm.py and test_gui_window.py drive them.
EDITOR_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "select the next / previous landmark"),
    ("Arrow keys", "nudge the selected landmark by one screen pixel (Shift: ten)"),
    ("Enter", "confirm the landmarks (during Review: and open the next photo)"),
    ("Esc", "stop placing landmarks, or stop reviewing"),
    ("Mouse wheel", "zoom the photo; drag the background to pan"),
)
VIEW_HEADINGS = {
    View.DORSAL: "From above (dorsal photos)",
    View.MEDIAL: "From the inner side (side photos)",
    View.PLANTAR: "Footprints (plantar)",
}


class HelpPage(QDialog):
    """A help page: rich text with pictures, a Close button; not modal."""

    def __init__(self, title: str, body: str, pictures: dict[str, bytes] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        document = self.browser.document()
        for name, png in (pictures or {}).items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                                 QImage.fromData(png))
        self.browser.setHtml(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(*PAGE_SIZE)
        if parent is not None:  # the page closes with the window it belongs to
            parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.close()
        return False


def _png(make_figure: Callable) -> bytes:
    from footlog.charts.measure_pictures import figure_png

    return figure_png(make_figure())


# The pages depend on footlog's own words and geometry only: drawn once (about 0.9 s for
# the twelve pictures of Measures on a 2-core machine), then opened at once.
@functools.cache
def measures_page() -> tuple[str, dict[str, bytes]]:
    """Help ▸ Measures: each measure with its picture, what larger and smaller mean, and how
    far it can be trusted."""
    from footlog.charts.measure_pictures import measure_figure

    pictures: dict[str, bytes] = {}
    parts = [
        "<h2>What footlog measures</h2>",
        "<p>Every measure is read from the outline of the foot in a photo, skin included: "
        "they are photographic, not the bone angles of an X-ray. Hover a value in the "
        "window to see these words again.</p>",
        f"<p><i>{escape(MDC95_IN_ONE_LINE)}</i></p>",
    ]
    for view, heading in VIEW_HEADINGS.items():
        parts.append(f"<h3>{heading}</h3>")
        for g in (g for g in GUIDES.values() if _view_of(g.name) == view):
            picture = f"measure:{g.name}"
            pictures[picture] = _png(lambda n=g.name: measure_figure(n))
            # The picture beside the words, scaled to a common height.
            width = round(PICTURE_HEIGHT_PX * _aspect(pictures[picture]))
            parts.append(
                f"<h4><a name='{g.name}'></a>{escape(g.label)} "
                f"<span style='color:gray'>({escape(g.name)})</span></h4>"
                f"<table cellspacing='0' cellpadding='4'><tr><td valign='top'>"
                f"<img src='{picture}' width='{width}' height='{PICTURE_HEIGHT_PX}'></td>"
                f"<td valign='top'><p>{escape(g.what[:1].upper() + g.what[1:])}</p>"
                f"<p><b>Larger</b>: {escape(g.larger)}<br>"
                f"<b>Smaller</b>: {escape(g.smaller)}</p>"
                f"<p><b>How far to trust it</b>: {escape(g.trust_text())}</p></td></tr></table>"
                f"<p style='color:#555'>How it is drawn: {escape(g.how_drawn)}</p>"
            )
    parts.append("<h3>Limits of every measure</h3>")
    parts.extend(f"<p>{escape(text)}</p>" for text in CAVEATS)
    return "".join(parts), pictures


def _aspect(png: bytes) -> float:
    """Width over height of a PNG picture."""
    image = QImage.fromData(png)
    return image.width() / max(1, image.height())


def _view_of(name: str) -> View:
    from footlog.domain.views import MEASURES

    return MEASURES[name].view


@functools.cache
def capture_page() -> tuple[str, dict[str, bytes]]:
    """Help ▸ Taking Photos: the protocol step by step, with the sheet and the camera."""
    from footlog.charts.capture_pictures import camera_figure, sheet_figure

    pictures = {"capture:sheet": _png(sheet_figure), "capture:camera": _png(camera_figure)}
    steps = "".join(f"<li><b>{escape(title)}</b>. {escape(text)}</li>"
                    for title, text in CAPTURE_STEPS)
    body = (
        "<h2>Taking photos footlog can measure</h2>"
        "<table><tr><td><img src='capture:sheet'></td>"
        "<td><img src='capture:camera'></td></tr>"
        "<tr><td align='center'>Heel on the line, the whole sheet in view</td>"
        "<td align='center'>The phone level, straight above the toes</td></tr></table>"
        f"<ol>{steps}</ol>"
        "<p>footlog says when a photo falls short (the heel hidden, the page not found, the "
        "camera tilted): the photo is marked <i>review</i> and decides nothing until you "
        "check it.</p>"
    )
    return body, pictures


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) of every action of the window that has a shortcut: the menus in
    menu order, then the actions of each tab."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{where} ▸ {_plain(submenu.title())}")
            elif action.shortcuts() and not action.isSeparator():
                seen.add(id(action))
                rows.append((where, _plain(action.text()), _keys(action)))

    for top in window.menuBar().actions():
        top_menu = top.menu()
        if isinstance(top_menu, QMenu):
            walk(top_menu, _plain(top_menu.title()))
    tabs = getattr(window, "tabs", None)
    for action in window.findChildren(QAction):
        if id(action) in seen or not action.shortcuts():
            continue
        owner = action.parent()
        where = "Window"
        if tabs is not None and isinstance(owner, QWidget):
            for i in range(tabs.count()):
                page = tabs.widget(i)
                if page is owner or page.isAncestorOf(owner):
                    where = f"{_plain(tabs.tabText(i))} tab"
        rows.append((where, _plain(action.text()), _keys(action)))
    return rows


def _plain(text: str) -> str:
    """A menu text without its accelerator mark and ellipsis: '&Import Photos…'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


# Keys Qt's standard shortcuts add for keyboards few people have (Sun's Undo key, F14).
_RARE_KEY = re.compile(r"^(Undo|Redo|Copy|Paste|Cut|Open|Find|F(1[3-9]|2\d|3[0-5]))$")


def _keys(action: QAction) -> str:
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
    return ", ".join(k for k in keys if not _RARE_KEY.match(k)) or ", ".join(keys)


def shortcuts_page(window: QMainWindow) -> str:
    """Help ▸ Keyboard Shortcuts, read off the window's actions."""
    rows = "".join(
        f"<tr><td>{escape(where)}</td><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>"
        for where, what, keys in shortcut_rows(window))
    editor = "".join(f"<tr><td>{escape(k)}</td><td>{escape(what)}</td></tr>"
                     for k, what in EDITOR_KEYS)
    return (
        "<h2>Keyboard shortcuts</h2>"
        "<table cellpadding='3'><tr><th align='left'>Where</th><th align='left'>Command</th>"
        f"<th align='left'>Keys</th></tr>{rows}</table>"
        "<h3>In the photo editor</h3>"
        f"<table cellpadding='3'>{editor}</table>"
    )
