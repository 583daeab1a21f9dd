"""The world's country shapes, for the map: read once per process from the world map that the
installed package pygal_maps_world ships (its worldmap.svg, LGPLv3+, not copied into this
repository), keyed by lower-case ISO 3166-1 alpha-2 code.

The file is 780 kB of paths in relative commands with two decimals, more detail than a map a
page wide can show. Each point is rounded to whole units in absolute terms (so that rounding
errors never add up along a border); a curve that stays within a unit of its chord becomes a
line, and a segment that rounding leaves empty is dropped. A country too small for whole units
keeps a decimal. Antarctica, where no case study takes place, is left out."""

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from xml.etree import ElementTree

SOURCE_PACKAGE = "pygal_maps_world"
SOURCE_FILE = "worldmap.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
LEFT_OUT = frozenset({"aq"})  # Antarctica
MARGIN = 4  # units of clear space around the countries
# A curve whose control points lie this near its chord, in the units written, is drawn straight.
FLATNESS = 1

# The arguments of each path command the file uses; after a moveto, further pairs are linetos.
ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "z": 0}
TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class World:
    width: int
    height: int
    shapes: dict  # ISO 3166-1 alpha-2 code in lower case -> SVG path data


def _commands(data):
    """(command, arguments) for each segment of path data, implicit repetitions made explicit."""
    tokens = TOKEN.findall(data)
    index, command = 0, None
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command.lower() not in ARGUMENTS:
                raise ValueError(f"Unsupported path command {command!r}.")
            if command in "zZ":
                yield command, []
                continue
        elif command is None:
            raise ValueError(f"Path data starts with a number: {data[:20]!r}")
        count = ARGUMENTS[command.lower()]
        arguments = [float(token) for token in tokens[index : index + count]]
        if len(arguments) < count or any(
            token.isalpha() for token in tokens[index : index + count]
        ):
            raise ValueError(f"Path data ends inside a command: {data[-20:]!r}")
        yield command, arguments
        index += count
        if command in "mM":
            command = "l" if command == "m" else "L"


def _subpaths(data):
    """Each subpath of path data as its starting point and its segments in absolute points:
    ("l", [end]) or ("c", [control, control, end]) (a smooth curve's first control point
    worked out from the curve before)."""
    subpaths, here, start, control = [], (0.0, 0.0), (0.0, 0.0), None
    for command, arguments in _commands(data):
        kind, x, y = command.lower(), *here
        if kind == "z":
            here, control = start, None
            continue
        if kind == "h":
            points = [(x + arguments[0] if command == "h" else arguments[0], y)]
        elif kind == "v":
            points = [(x, y + arguments[0] if command == "v" else arguments[0])]
        else:
            pairs = zip(arguments[::2], arguments[1::2], strict=True)
            points = [(px + x, py + y) if command.islower() else (px, py) for px, py in pairs]
        if kind == "s":  # the reflection of the last curve's second control point, or here
            first = (2 * x - control[0], 2 * y - control[1]) if control else here
            points, kind = [first, *points], "c"
        if kind == "m":
            start = points[0]
            subpaths.append((start, []))
        else:
            subpaths[-1][1].append(("c" if kind == "c" else "l", points))
        control = points[-2] if kind == "c" else None
        here = points[-1]
    return subpaths


def _distance(point, start, end):
    """How far `point` lies from the segment from `start` to `end`."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    length = (bx - ax) ** 2 + (by - ay) ** 2
    share = (
        0
        if not length
        else max(0, min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    )
    return math.hypot(px - ax - share * (bx - ax), py - ay - share * (by - ay))


def _format(units, digits):
    """Whole numbers of 10**-digits units as SVG numbers, as short as they can be written."""
    text = ""
    for unit in units:
        number = f"{unit / 10**digits:.{digits}f}"
        if digits:
            number = number.rstrip("0").rstrip(".")
        if number == "-0":
            number = "0"
        text += number if not text or number.startswith("-") else " " + number
    return text


def _path(subpaths, origin, digits):
    """Path data for the subpaths, in relative commands, from `origin` in points rounded to
    `digits` decimals; curves flat at that size drawn straight, empty segments dropped, and
    subpaths that shrink to less than a triangle left out. None if nothing is left."""
    scale = 10**digits
    ox, oy = origin

    def snap(point):
        return (round((point[0] - ox) * scale), round((point[1] - oy) * scale))

    written = []
    for first, segments in subpaths:
        here = start = snap(first)
        parts, seen, previous = [], {start}, None
        for kind, points in segments:
            snapped = [snap(point) for point in points]
            end = snapped[-1]
            if kind == "c" and all(
                _distance(point, here, end) <= FLATNESS for point in snapped[:2]
            ):
                kind, snapped = "l", [end]
            if all(point == here for point in snapped):
                continue
            deltas = [value for px, py in snapped for value in (px - here[0], py - here[1])]
            if kind == "l" and deltas[0] == 0:
                kind, deltas = "v", deltas[1:]
            elif kind == "l" and deltas[1] == 0:
                kind, deltas = "h", deltas[:1]
            numbers = _format(deltas, digits)
            if kind != previous:
                parts.append(kind + numbers)
            else:  # the same command again needs no letter
                parts.append(numbers if numbers.startswith("-") else " " + numbers)
            previous, here = kind, end
            seen.update(snapped)
        if len(seen) >= 3:
            written.append("M" + _format(start, digits) + "".join(parts))
    return "".join(written) or None


@cache
def world():
    """The map's frame and every country's shape, read from the package at first use."""
    with files(SOURCE_PACKAGE).joinpath(SOURCE_FILE).open("rb") as file:
        # The installed package's own file, of a pinned release: not untrusted XML.
        root = ElementTree.parse(file).getroot()  # noqa: S314
    countries = {}
    for group in root.iter(f"{SVG_NS}g"):
        classes = group.get("class", "").split()
        if "country" in classes and classes[0] not in LEFT_OUT:
            countries[classes[0]] = [
                subpath
                for path in group.iter(f"{SVG_NS}path")
                for subpath in _subpaths(path.get("d", ""))
            ]
    points = [
        point
        for subpaths in countries.values()
        for first, segments in subpaths
        for point in [first, *(point for _, points in segments for point in points)]
    ]
    left = math.floor(min(x for x, _ in points)) - MARGIN
    top = math.floor(min(y for _, y in points)) - MARGIN
    right = math.ceil(max(x for x, _ in points)) + MARGIN
    bottom = math.ceil(max(y for _, y in points)) + MARGIN
    shapes = {}
    for code, subpaths in sorted(countries.items()):
        shape = next(
            (shape for digits in (0, 1, 2) if (shape := _path(subpaths, (left, top), digits))),
            None,
        )
        if shape:
            shapes[code] = shape
    return World(width=right - left, height=bottom - top, shapes=shapes)
