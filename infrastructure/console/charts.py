"""Charts as SVG images, drawn on the server by pygal.

pygal writes standalone SVG with its own styles; the console embeds each as an image in a
``data:`` URL, so that its styles stay inside the image and the page's Content-Security-Policy
holds (no inline style, no script: pygal's optional tooltip script is left out).
"""

from base64 import b64encode
from collections.abc import Sequence

import pygal
from pygal.style import Style

#: Colours with at least 3:1 contrast on white (WCAG 2.2 non-text contrast), told apart also by
#: the data tables under each chart.
PALETTE = ("#1f4e79", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00695c")
RAG_COLOURS = {"red": "#c62828", "amber": "#b35900", "green": "#2e7d32", "not rated": "#555555"}
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=PALETTE,
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)
Series = Sequence[tuple[str, Sequence[float | None]]]


def _config(title: str, **more: object) -> dict[str, object]:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 360,
        "legend_at_bottom": True,
        "print_values": False,
        "truncate_label": -1,  # never cut a month's label short
        **more,
    }


def percent_by_period(title: str, periods: Sequence[str], series: Series) -> str:
    """A line per series, 0 to 100 %, over the periods."""
    chart = pygal.Line(
        **_config(
            title,
            range=(0, 100),
            value_formatter=lambda v: f"{v:.1f}%",
            x_label_rotation=30 if len(periods) > 6 else 0,
        )
    )
    chart.x_labels = list(periods)
    for name, values in series:
        chart.add(name, list(values))
    return _data_url(chart)


def counts(title: str, values: Sequence[tuple[str, int]], colours: Sequence[str] = ()) -> str:
    """A bar per label."""
    style = STYLE
    if colours:
        style = Style(**{**_style_fields(), "colors": tuple(colours)})
    chart = pygal.Bar(**_config(title, style=style, print_values=True, legend_at_bottom=True))
    for name, count in values:
        chart.add(name, [count])
    return _data_url(chart)


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
