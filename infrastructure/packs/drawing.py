"""Drawing on a pack's pages with fpdf2 (pure Python, installed from a wheel): headings,
paragraphs, tables that repeat their header on each page, and bar and line charts drawn as
vector shapes. Nothing here reads the clock: the same calls draw the same bytes.

Text is set in the PDF's core fonts (Helvetica), which need no font file: Windows-1252, a
character outside it printed as ``?``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ENCODING = "windows-1252"
FONT = "Helvetica"
#: Series colours (RGB), in order: distinguishable in print and for common colour blindness.
PALETTE = ((0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233))
GREY = (120, 120, 120)
LIGHT = (225, 228, 232)
CHART_HEIGHT = 55.0
#: The widest bar (mm), however few the categories.
MAX_BAR = 14.0
ROW_HEIGHT = 5.0
#: The room a category's label needs under a chart (mm): fewer labelled when slots are narrower.
LABEL_WIDTH = 12.0

Align = Literal["L", "R", "C"]


def printable(text: object) -> str:
    """Text as the core fonts can set it."""
    return str(text).encode(ENCODING, "replace").decode(ENCODING)


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: Align = "L"


class Page(FPDF):
    """A4 pages with a running head (``head``) and numbered feet."""

    def __init__(self, head: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.head = printable(head)
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.set_y(8)
        self.cell(0, 4, self.head, align="L")
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
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, size=9)

    def paragraph(self, text: str, size: float = 9, style: Literal["", "B", "I"] = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.48, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=9)

    def fields(self, pairs: Sequence[tuple[str, str]], label_width: float = 38) -> None:
        """``label: value`` lines, the value wrapped."""
        for label, value in pairs:
            self.set_font(FONT, "B", 9)
            self.cell(label_width, ROW_HEIGHT, printable(label))
            self.set_font(FONT, size=9)
            self.multi_cell(0, ROW_HEIGHT, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows_table(self, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        """A table, each cell on one line (cut with "..." to its width), the header again at
        the top of each page it runs onto."""
        self._table_header(columns)
        self.set_font(FONT, size=8)
        for row in rows:
            if self.will_page_break(ROW_HEIGHT):
                self.add_page()
                self._table_header(columns)
                self.set_font(FONT, size=8)
            for column, value in zip(columns, row, strict=True):
                text = self._fitted(printable("" if value is None else value), column.width)
                self.cell(column.width, ROW_HEIGHT, text, border="B", align=column.align)
            self.ln(ROW_HEIGHT)
        self.ln(2)

    def _table_header(self, columns: Sequence[Column]) -> None:
        self.set_font(FONT, "B", 8)
        self.set_fill_color(*LIGHT)
        for column in columns:
            text = self._fitted(printable(column.title), column.width)
            self.cell(column.width, ROW_HEIGHT + 1, text, fill=True, align=column.align)
        self.ln(ROW_HEIGHT + 1)

    def _fitted(self, text: str, width: float) -> str:
        room = width - 2 * self.c_margin
        if self.get_string_width(text) <= room:
            return text
        while text and self.get_string_width(text + "...") > room:
            text = text[:-1]
        return text + "..."

    # Charts

    def bar_chart(
        self,
        title: str,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        top: float | None = None,
    ) -> None:
        """Bars of each series per category (``None``: no bar); the scale from 0 to ``top``
        (default: the largest value, rounded up)."""
        values = [v for _, vs in series for v in vs if v is not None]
        scale = top or _nice(max(values, default=0.0))
        x, y, width, height = self._plot_area(title, scale, series)
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
        self,
        title: str,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        top: float | None = None,
    ) -> None:
        """A line per series through its values per category (``None``: a gap), a dot at each."""
        values = [v for _, vs in series for v in vs if v is not None]
        scale = top or _nice(max(values, default=0.0))
        x, y, width, height = self._plot_area(title, scale, series)
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
        self, title: str, scale: float, series: Sequence[tuple[str, Sequence[float | None]]]
    ) -> tuple[float, float, float, float]:
        """The chart's title, legend, frame and scale; the plot's left, top, width and height."""
        if self.will_page_break(CHART_HEIGHT + 22):
            self.add_page()
        self.set_font(FONT, "B", 9)
        self.cell(0, ROW_HEIGHT, printable(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=7)
        for index, (name, _) in enumerate(series):
            self.set_fill_color(*PALETTE[index % len(PALETTE)])
            self.rect(self.get_x(), self.get_y() + 1.2, 3, 3, style="F")
            self.set_x(self.get_x() + 4)
            label = printable(name)
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
        return x, y, width, height

    def _category_labels(self, categories: Sequence[str], x: float, y: float, slot: float) -> None:
        self.set_font(FONT, size=6)
        every = max(1, math.ceil(LABEL_WIDTH / slot))
        for position, category in enumerate(categories):
            if position % every:
                continue
            self.set_xy(x + position * slot, y + 1)
            self.cell(slot * every, 3, self._fitted(printable(category), slot * every), align="L")
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
