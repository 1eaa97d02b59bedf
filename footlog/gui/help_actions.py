"""The Help menu's pages (a mixin of the main window): Measures, Taking Photos, Keyboard
Shortcuts. Each opens beside the window and stays open while the person works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget

from footlog.gui.help_pages import HelpPage, capture_page, measures_page, shortcuts_page

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


def open_taking_photos(parent: QWidget | None = None) -> HelpPage:
    """Show Help ▸ Taking Photos (also for an empty library's first-run hint)."""
    body, pictures = capture_page()
    return _show(HelpPage("Taking photos", body, pictures, parent))


def open_measures(parent: QWidget | None = None, measure: str = "") -> HelpPage:
    """Show Help ▸ Measures, scrolled to `measure` (its stable name) when given."""
    body, pictures = measures_page()
    page = _show(HelpPage("Measures", body, pictures, parent))
    if measure:
        page.browser.scrollToAnchor(measure)
    return page


def _show(page: HelpPage) -> HelpPage:
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.show()
    page.raise_()
    return page


class HelpActionsMixin(MainWindowParts):
    """Adds the help pages to a menu; `self.help_page` is the page opened last (tests)."""

    help_page: HelpPage | None = None

    def add_help_actions(self, menu: QMenu) -> None:
        self._action(menu, "&Measures", self.show_measures_help, None,
                     "What each measure is, what its sign means and how far to trust it")
        self._action(menu, "&Taking Photos", self.show_capture_help, None,
                     "How to photograph your foot so that footlog measures it well")
        self._action(menu, "&Keyboard Shortcuts", self.show_shortcuts_help, "F1")
        menu.addSeparator()

    def show_measures_help(self, measure: str = "") -> HelpPage:
        self.help_page = open_measures(self, measure)
        return self.help_page

    def show_capture_help(self) -> HelpPage:
        self.help_page = open_taking_photos(self)
        return self.help_page

    def show_shortcuts_help(self) -> HelpPage:
        self.help_page = _show(HelpPage("Keyboard shortcuts", shortcuts_page(self), None, self))
        return self.help_page
