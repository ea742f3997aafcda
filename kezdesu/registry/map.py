"""A schematic map of Kazakhstan's 20 regions: one tile per region at its rough place (see decision 0101).

`region_map` turns a value per region into what `includes/region_map.html` draws: an SVG that needs no
JavaScript, prints, and says every tile's value in words (its `<title>` and `aria-label`), with the same
figures as a table beside it. Colour always comes with the figure or word written on the tile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# (column, row) of each region on a 7 × 5 grid: columns run west → east by the longitude of the regional
# centre, rows north → south by its latitude. The three cities sit beside the oblast that surrounds them.
LAYOUT: dict[str, tuple[int, int]] = {
    "north-kazakhstan": (3, 0),
    "kostanay": (2, 1), "akmola": (3, 1), "astana": (4, 1), "pavlodar": (5, 1),
    "west-kazakhstan": (0, 2), "aktobe": (1, 2), "ulytau": (3, 2), "karaganda": (4, 2), "abai": (5, 2),
    "east-kazakhstan": (6, 2),
    "atyrau": (0, 3), "kyzylorda": (2, 3), "turkistan": (3, 3), "zhambyl": (4, 3), "almaty-region": (5, 3),
    "zhetisu": (6, 3),
    "mangystau": (0, 4), "shymkent": (3, 4), "almaty": (5, 4),
}
COLUMNS, ROWS = 7, 5
TILE_W, TILE_H, GAP = 112, 84, 6



@dataclass(frozen=True)
class Tile:
    slug: str
    name: str
    lines: tuple[str, ...]  # the short name, split to fit the tile
    value: str  # the figure or sign written on the tile
    detail: str  # the same in words, for the table
    level: int  # 0 (nothing) … 4 (most): the fill colour
    label: str  # the whole statement, for screen readers and the tooltip
    url: str
    x: int
    y: int
    city: bool

    @property
    def text_x(self) -> int:
        return self.x + TILE_W // 2

    @property
    def line_ys(self) -> list[tuple[int, str]]:
        return [(self.y + 22 + 15 * i, line) for i, line in enumerate(self.lines)]

    @property
    def value_y(self) -> int:
        return self.y + TILE_H - 12


@dataclass(frozen=True)
class RegionMap:
    title: str
    tiles: tuple[Tile, ...]
    legend: tuple[tuple[int, str], ...]  # (level, what it means)
    value_heading: str
    width: int = COLUMNS * (TILE_W + GAP) - GAP
    height: int = ROWS * (TILE_H + GAP) - GAP


def _lines(name: str, width: int = 14) -> tuple[str, ...]:
    """Split a name into at most two lines at a space or after a hyphen."""
    if len(name) <= width:
        return (name,)
    for sep in (" ", "-"):
        if sep in name:
            head, tail = name.split(sep, 1)
            return (head + ("-" if sep == "-" else ""), tail)
    return (name,)


def region_map(*, regions: Iterable, title: str, value: Callable[[object], tuple[str, int, str, str]],
               legend: Iterable[tuple[int, str]], value_heading: str,
               url: Callable[[object], str] | None = None) -> RegionMap:
    """The map of `regions` (Region rows).

    `value(region)` returns (text on the tile, level 0–4 for the colour, the whole statement for screen
    readers, the value in words for the table).

    Regions missing from the layout (a future reform) are left off the drawing but stay in the table.
    """
    tiles = []
    for region in regions:
        col, row = LAYOUT.get(region.slug, (None, None))
        text, level, label, detail = value(region)
        name = region.short_name
        tiles.append(Tile(
            slug=region.slug, name=region.name, lines=_lines(name), value=text, detail=detail,
            level=max(0, min(level, 4)),
            label=label, url=url(region) if url else "",
            x=-1 if col is None else col * (TILE_W + GAP), y=-1 if row is None else row * (TILE_H + GAP),
            city=getattr(region, "kind", "") == "city",
        ))
    return RegionMap(title=title, tiles=tuple(tiles), legend=tuple(legend), value_heading=value_heading)
