"""Charts as SVG images, drawn on the server by pygal.

pygal writes standalone SVG with its own styles; the console embeds each as an image in a
``data:`` URL, so that its styles stay inside the image and the page's Content-Security-Policy
holds (no inline style, no script: pygal's optional tooltip script is left out).

Every colour a chart uses is chosen here: an agency has one colour on every chart
(``agency_colour``), each series says its own colour (``Plotted``), never its place in a chart.
"""

from base64 import b64encode
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from zlib import crc32

import pygal
from pygal.style import Style

#: Each agency's colour on every chart, at least 3:1 contrast on white (WCAG 2.2 non-text
#: contrast); the data table under each chart tells them apart too.
AGENCY_COLOURS = {
    "childrens-social-care": "#1f4e79",
    "police": "#b35900",
    "health": "#2e7d32",
    "education": "#8e24aa",
    "probation": "#c62828",
    "youth-justice": "#00695c",
    "housing": "#6d4c41",
    "adult-mental-health": "#ad1457",
    "idva": "#3949ab",
    "early-help": "#827717",
}
#: Colours of agencies a partnership adds (``ACTIONTRAIL_EXTRA_AGENCIES``), one per agency by a
#: hash of its code, so the same on every chart and every day.
EXTRA_COLOURS = ("#455a64", "#5d4037", "#0277bd", "#6a1b9a", "#558b2f", "#bf360c")
#: Series that are not agencies (the timeliness chart's two measures).
MEASURE_COLOURS = ("#37474f", "#757575")
#: RAG ratings in the colours of their words on the console's pages (``console.css``), none an
#: agency's: a colour on a chart means one thing.
RAG_COLOURS = {"red": "#b71c1c", "amber": "#8a4500", "green": "#1b5e20", "not rated": "#555555"}
#: Line patterns by a series' place in a line chart: lines with the same values stay visible,
#: the first (widest, drawn first) solid under the next (dashed), under the next (dotted).
DASHES = ("", "10,6", "2,5", "14,4,2,4")
LINE_WIDTH = 2.5
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=tuple(AGENCY_COLOURS.values()),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)


def agency_colour(agency: str) -> str:
    """The agency's colour on every chart."""
    known = AGENCY_COLOURS.get(agency)
    return known or EXTRA_COLOURS[crc32(agency.encode()) % len(EXTRA_COLOURS)]


@dataclass(frozen=True)
class Plotted:
    """A series: its legend, its values (``None``: nothing to plot that period) and colour."""

    label: str
    values: Sequence[float | None]
    colour: str


def _config(title: str, colours: Sequence[str], **more: object) -> dict[str, object]:
    return {
        "title": title,
        "style": Style(**{**_style_fields(), "colors": tuple(colours) or STYLE.colors}),
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 360,
        "legend_at_bottom": True,
        "print_values": False,
        "truncate_label": -1,  # never cut a month's label short
        "truncate_legend": -1,  # nor an agency's name
        **more,
    }


def percent_by_period(title: str, periods: Sequence[str], series: Sequence[Plotted]) -> str:
    """A line per series, 0 to 100 %, over the periods; a period without a value breaks the
    line (no line drawn across a month with no meetings)."""
    chart = pygal.Line(
        **_config(
            title,
            [s.colour for s in series],
            range=(0, 100),
            value_formatter=lambda v: f"{v:.1f}%",
            x_label_rotation=30 if len(periods) > 6 else 0,
            allow_interruptions=True,
            css=[*pygal.Config().css, "inline:" + line_patterns(len(series))],
        )
    )
    chart.x_labels = list(periods)
    for place, s in enumerate(series):
        chart.add(s.label, list(s.values), dots_size=3 + len(series) - 1 - place)
    return _data_url(chart)


def line_patterns(count: int) -> str:
    """CSS giving each of ``count`` lines its width and dash pattern (``DASHES``): pygal's own
    per-series stroke style loses to its stylesheet's line width."""
    return "".join(
        f".serie-{place} .line{{stroke-width:{LINE_WIDTH + 2 * (count - 1 - place)}px"
        f" !important;stroke-dasharray:{DASHES[place % len(DASHES)] or 'none'} !important}}"
        for place in range(count)
    )


def counts(title: str, values: Sequence[tuple[str, int, str]]) -> str:
    """A bar per (label, count, colour), on an axis of whole numbers."""
    highest = max((count for _, count, _ in values), default=0)
    chart = pygal.Bar(
        **_config(
            title,
            [colour for _, _, colour in values],
            print_values=True,
            y_labels=integer_ticks(highest) if values else None,  # pygal needs a series
            value_formatter=lambda v: f"{v:.0f}",
        )
    )
    for name, count, _ in values:
        chart.add(name, [count])
    return _data_url(chart)


def integer_ticks(highest: int, most: int = 10) -> list[int]:
    """Whole-number ticks from 0 to at least ``highest``, at most about ``most`` of them."""
    step = max(1, ceil(highest / most))
    return list(range(0, max(highest, 1) + step, step))


def _style_fields() -> dict[str, object]:
    return {
        name: getattr(STYLE, name)
        for name in (
            "background",
            "plot_background",
            "foreground",
            "foreground_strong",
            "foreground_subtle",
            "font_family",
            "label_font_size",
            "major_label_font_size",
            "legend_font_size",
            "value_font_size",
            "title_font_size",
        )
    }


def _data_url(chart: pygal.graph.graph.Graph) -> str:
    svg = str(chart.render(is_unicode=True)).encode()
    return "data:image/svg+xml;base64," + b64encode(svg).decode("ascii")
