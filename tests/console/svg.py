"""What a console chart (a pygal SVG in a ``data:`` URL) draws each series in."""

import re
from base64 import b64decode
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"
_COLOUR_RULE = re.compile(r"\.color-(\d+)(?:,[^{]*)?\{stroke:(#[0-9a-f]{6});fill:(#[0-9a-f]{6})\}")


def svg_of(data_url: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert data_url.startswith(prefix), data_url[:40]
    return b64decode(data_url.removeprefix(prefix)).decode()


def series_colours(data_url: str) -> dict[str, tuple[str, str]]:
    """Each series' legend text and the (stroke, fill) its lines, dots, bars and legend key
    are drawn in: the chart's ``.color-N`` rule for the legend key's class ``color-N``."""
    svg = svg_of(data_url)
    rules = {int(n): (stroke, fill) for n, stroke, fill in _COLOUR_RULE.findall(svg)}
    colours = {}
    for legend in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if "legend" not in legend.get("class", "").split():
            continue
        key = legend.find(f"{SVG}rect")
        text = legend.find(f"{SVG}text")
        assert key is not None
        assert text is not None
        assert text.text
        (index,) = [int(c[6:]) for c in key.get("class", "").split() if c.startswith("color-")]
        colours[text.text] = rules[index]
    return colours


def line_paths(data_url: str) -> dict[int, list[str]]:
    """Each series' line paths (``d``), by its place: one path per unbroken run of values."""
    paths: dict[int, list[str]] = {}
    for group in ElementTree.fromstring(svg_of(data_url)).iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "series" not in classes:
            continue
        (place,) = [int(c[6:]) for c in classes if c.startswith("serie-")]
        found = [
            p.get("d", "") for p in group.findall(f"{SVG}path") if "line" in p.get("class", "")
        ]
        if found:
            paths.setdefault(place, []).extend(found)
    return paths
