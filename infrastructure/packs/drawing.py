"""Drawing on a pack's pages with fpdf2 (pure Python, installed from a wheel): headings,
paragraphs, tables that repeat their header on each page, and bar and line charts drawn as
vector shapes. Nothing here reads the clock: the same calls draw the same bytes.

Text is set in DejaVu Sans (``fonts/``, its licence beside it), embedded as the subset of
glyphs a pack uses, so any script the font covers (Latin, Greek, Cyrillic...) prints as
written; a character it lacks (an emoji) prints as ``MISSING``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from domain.text import TEXT_FORMAT

FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
}
FONTS = Path(__file__).parent / "fonts"
#: What a character the font has no glyph for prints as.
MISSING = "\ufffd"
#: Characters without a glyph that print as something else: a tab or a line feed (in text set
#: on one line) a space, a carriage return and the invisible format characters nothing.
STAND_INS = {"\t": " ", "\n": " ", "\r": ""} | dict.fromkeys(TEXT_FORMAT, "")
#: Series colours (RGB), in order: distinguishable in print and for common colour blindness.
PALETTE = ((0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233))
GREY = (120, 120, 120)
LIGHT = (225, 228, 232)
CHART_HEIGHT = 55.0
#: The widest bar (mm), however few the categories.
MAX_BAR = 14.0
#: A chart's series: each a name and its value per category (None: none there).
Series = Sequence[tuple[str, Sequence[float | None]]]
ROW_HEIGHT = 5.0
#: The room a category's label needs under a chart (mm): fewer labelled when slots are narrower.
LABEL_WIDTH = 12.0

Align = Literal["L", "R", "C"]


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: Align = "L"


class Page(FPDF):
    """A4 pages with a running head (``head``) and numbered feet."""

    def __init__(self, head: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, file in FONT_FILES.items():
            self.add_font(FONT, style, FONTS / file)
        self.head = head
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.set_y(8)
        self.cell(0, 4, self.printable(self.head), align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(18)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    @property
    def width(self) -> float:
        """The width between the margins."""
        return float(self.w - self.l_margin - self.r_margin)

    def heading(self, text: str, size: float = 14) -> None:
        if self.get_y() > self.h - 60:
            self.add_page()
        self.ln(3)
        self.lines(text, size, "B", size * 0.5)
        self.ln(1)
        self.set_font(FONT, size=9)

    def paragraph(self, text: str, size: float = 9, style: Literal["", "B", "I"] = "") -> None:
        self.lines(text, size, style, size * 0.48)
        self.set_font(FONT, size=9)

    def lines(
        self,
        text: str,
        size: float,
        style: Literal["", "B", "I"],
        height: float,
        left: float | None = None,
    ) -> None:
        """``text`` wrapped at words to the width from ``left`` (default: the margin) to the
        right margin, a line ``height`` mm high each, onto the next page when it runs out.

        Drawn with ``text``, a fraction of the cost of fpdf2's ``multi_cell`` (a pack sets
        thousands of lines)."""
        self.set_font(FONT, style, size)
        start = self.l_margin if left is None else left
        room = self.w - self.r_margin - start
        for line in self._wrapped(str(text), room):
            if self.y + height > self.page_break_trigger:
                self.add_page()
                self.set_font(FONT, style, size)
            self.text(start, self.y + height * 0.75, line)
            self.y += height
        self.x = self.l_margin

    def fields(self, pairs: Sequence[tuple[str, str]], label_width: float = 38) -> None:
        """``label: value`` lines, the value wrapped."""
        for label, value in pairs:
            if self.y + ROW_HEIGHT > self.page_break_trigger:
                self.add_page()
            self.set_font(FONT, "B", 9)
            self.text(self.l_margin, self.y + ROW_HEIGHT * 0.7, self.printable(label))
            self.lines(value, 9, "", ROW_HEIGHT, self.l_margin + label_width)

    def rows_table(self, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        """A table, each cell on one line (cut with "..." to its width), the header again at
        the top of each page it runs onto."""
        self._table_header(columns)
        self.set_font(FONT, size=8)
        right = self.l_margin + sum(column.width for column in columns)
        for row in rows:
            if self.y + ROW_HEIGHT > self.page_break_trigger:
                self.add_page()
                self._table_header(columns)
                self.set_font(FONT, size=8)
            self._row(columns, ["" if value is None else str(value) for value in row])
            self.set_draw_color(*LIGHT)
            self.line(self.l_margin, self.y + ROW_HEIGHT, right, self.y + ROW_HEIGHT)
            self.set_draw_color(0, 0, 0)
            self.y += ROW_HEIGHT
        self.y += 2
        self.x = self.l_margin

    def _table_header(self, columns: Sequence[Column]) -> None:
        self.set_font(FONT, "B", 8)
        self.set_fill_color(*LIGHT)
        width = sum(column.width for column in columns)
        self.rect(self.l_margin, self.y, width, ROW_HEIGHT + 1, style="F")
        self._row(columns, [column.title for column in columns], ROW_HEIGHT + 1)
        self.y += ROW_HEIGHT + 1

    def _row(
        self, columns: Sequence[Column], cells: Sequence[str], height: float = ROW_HEIGHT
    ) -> None:
        x = self.l_margin
        baseline = self.y + height * 0.7
        for column, value in zip(columns, cells, strict=True):
            text = self._fitted(self.printable(value), column.width - 2 * self.c_margin)
            if column.align == "R":
                at = x + column.width - self.c_margin - self._width(text)
            else:
                at = x + self.c_margin
            self.text(at, baseline, text)
            x += column.width

    def printable(self, text: object) -> str:
        """``text`` with each character the current font has no glyph for replaced (see
        ``STAND_INS``, else ``MISSING``)."""
        text = str(text)
        if text.isascii() and text.isprintable():  # the font has every such character
            return text
        glyphs = self._font().cmap
        if all(map(glyphs.__contains__, map(ord, text))):
            return text
        return "".join(
            char if ord(char) in glyphs else STAND_INS.get(char, MISSING) for char in text
        )

    def _font(self) -> TTFFont:
        font = self.current_font
        assert isinstance(font, TTFFont)
        return font

    def _width(self, text: str) -> float:
        """``text``'s width in the current font (mm), from the font's own widths (thousandths
        of its size, by code point)."""
        units = sum(map(self._font().cw.__getitem__, map(ord, text)))
        return float(units * self.font_size_pt / 1000 / self.k)

    def _fitted(self, text: str, room: float) -> str:
        if self._width(text) <= room:
            return text
        while text and self._width(text + "...") > room:
            text = text[:-1]
        return text + "..."

    def _wrapped(self, text: str, room: float) -> list[str]:
        """``text`` in lines at most ``room`` wide, broken at its line feeds and at spaces (a
        longer word cut), printable."""
        space = self._width(" ")
        lines: list[str] = []
        for paragraph in map(self.printable, text.split("\n")):
            line, width = "", 0.0
            for word in paragraph.split(" "):
                size = self._width(word)
                while size > room and len(word) > 1:  # a word wider than a line
                    if line:
                        lines.append(line)
                        line, width = "", 0.0
                    cut = len(word) - 1
                    while cut > 1 and self._width(word[:cut]) > room:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    size = self._width(word)
                if line and width + space + size > room:
                    lines.append(line)
                    line, width = word, size
                elif line:
                    line, width = f"{line} {word}", width + space + size
                else:
                    line, width = word, size
            lines.append(line)
        return lines

    # Charts

    def bar_chart(
        self, title: str, categories: Sequence[str], series: Series, top: float | None = None
    ) -> None:
        """Bars of each series per category (``None``: no bar); the scale from 0 to ``top``
        (default: the largest value, rounded up)."""
        x, y, width, height, scale = self._plot_area(title, series, top)
        slot = width / max(len(categories), 1)
        bar = min(slot * 0.8 / max(len(series), 1), MAX_BAR)
        for index, (_, vs) in enumerate(series):
            self.set_fill_color(*PALETTE[index % len(PALETTE)])
            for position, value in enumerate(vs):
                if not value:
                    continue
                tall = height * min(value, scale) / scale
                left = x + position * slot + (slot - bar * len(series)) / 2 + index * bar
                self.rect(left, y + height - tall, bar, tall, style="F")
        self._category_labels(categories, x, y + height, slot)

    def line_chart(
        self, title: str, categories: Sequence[str], series: Series, top: float | None = None
    ) -> None:
        """A line per series through its values per category (``None``: a gap), a dot at each."""
        x, y, width, height, scale = self._plot_area(title, series, top)
        slot = width / max(len(categories), 1)
        self.set_line_width(0.5)
        for index, (_, vs) in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            self.set_draw_color(*colour)
            self.set_fill_color(*colour)
            previous: tuple[float, float] | None = None
            for position, value in enumerate(vs):
                if value is None:
                    previous = None
                    continue
                point = (
                    x + (position + 0.5) * slot,
                    y + height - height * min(value, scale) / scale,
                )
                if previous is not None:
                    self.line(*previous, *point)
                self.circle(point[0], point[1], 0.8, style="F")
                previous = point
        self.set_line_width(0.2)
        self.set_draw_color(0, 0, 0)
        self._category_labels(categories, x, y + height, slot)

    def _plot_area(
        self, title: str, series: Series, top: float | None
    ) -> tuple[float, float, float, float, float]:
        """The chart's title, legend, frame and scale (0 to ``top``, by default the largest
        value rounded up); the plot's left, top, width and height, and the scale's top."""
        values = [v for _, vs in series for v in vs if v is not None]
        scale = top or _nice(max(values, default=0.0))
        if self.will_page_break(CHART_HEIGHT + 22):
            self.add_page()
        self.set_font(FONT, "B", 9)
        self.cell(0, ROW_HEIGHT, self.printable(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=7)
        for index, (name, _) in enumerate(series):
            self.set_fill_color(*PALETTE[index % len(PALETTE)])
            self.rect(self.get_x(), self.get_y() + 1.2, 3, 3, style="F")
            self.set_x(self.get_x() + 4)
            label = self.printable(name)
            self.cell(self.get_string_width(label) + 4, ROW_HEIGHT, label)
        self.ln(ROW_HEIGHT + 1)
        x, y = self.l_margin + 12, self.get_y()
        width, height = self.width - 12, CHART_HEIGHT
        self.set_draw_color(*LIGHT)
        self.set_text_color(*GREY)
        for step in range(5):
            level = y + height - height * step / 4
            self.line(x, level, x + width, level)
            self.set_xy(self.l_margin, level - 2)
            self.cell(11, 4, _number(scale * step / 4), align="R")
        self.set_draw_color(0, 0, 0)
        self.set_text_color(0, 0, 0)
        return x, y, width, height, scale

    def _category_labels(self, categories: Sequence[str], x: float, y: float, slot: float) -> None:
        self.set_font(FONT, size=6)
        every = max(1, math.ceil(LABEL_WIDTH / slot))
        for position, category in enumerate(categories):
            if position % every:
                continue
            self.set_xy(x + position * slot, y + 1)
            label = self._fitted(self.printable(category), slot * every)
            self.cell(slot * every, 3, label, align="L")
        self.set_xy(self.l_margin, y + 6)
        self.set_font(FONT, size=9)


def _nice(value: float) -> float:
    """A round top of scale (1, 2 or 5 times a power of ten) at or above ``value``."""
    top = 1.0
    while True:
        for step in (1.0, 2.0, 5.0):
            if top * step >= value:
                return top * step
        top *= 10


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
