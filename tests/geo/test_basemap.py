"""The offline basemap: clipping, simplification, the map's extent and its size."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ember.geo.basemap import (
    LAYER_ORDER,
    Bounds,
    basemap,
    clip_polygon,
    clip_polyline,
    focus_bounds,
    simplify,
)

BOX = np.array([[0.0, 0.0], [10.0, 10.0]])
# Iraq and Syria with a margin, the region the sample corpus is about.
IRAQ_SYRIA = Bounds(35.0, 29.0, 49.0, 38.5)


def area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def path_points(path: str) -> list[tuple[float, float]]:
    """Absolute points of path data made of "M x y l dx dy ... [z]" pieces."""
    points = []
    for piece in path.split("M")[1:]:
        head, _, body = piece.rstrip("z").partition("l")
        x, y = (float(v) for v in head.split())
        points.append((x, y))
        steps = [float(v) for v in re.findall(r"-?\d*\.?\d+", body)]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_a_line_crossing_the_box_keeps_its_inside_run() -> None:
    (run,) = clip_polyline(np.array([[-5.0, 5.0], [5.0, 5.0], [15.0, 5.0]]), BOX)
    assert run.tolist() == [[0.0, 5.0], [5.0, 5.0], [10.0, 5.0]]


def test_a_line_leaving_and_coming_back_is_two_runs() -> None:
    line = np.array([[2.0, 2.0], [2.0, 20.0], [8.0, 20.0], [8.0, 2.0]])
    first, second = clip_polyline(line, BOX)
    assert first.tolist() == [[2.0, 2.0], [2.0, 10.0]]
    assert second.tolist() == [[8.0, 10.0], [8.0, 2.0]]


def test_a_line_outside_the_box_is_dropped() -> None:
    assert clip_polyline(np.array([[-5.0, -5.0], [-1.0, 20.0], [20.0, 20.0]]), BOX) == []


def test_a_polygon_is_cut_to_the_box() -> None:
    square = np.array([[5.0, 5.0], [15.0, 5.0], [15.0, 15.0], [5.0, 15.0], [5.0, 5.0]])
    clipped = clip_polygon(square, BOX)
    assert area(clipped) == pytest.approx(25.0)
    assert clipped.min() >= 0.0 and clipped.max() <= 10.0
    outside = square + 20.0
    assert len(clip_polygon(outside, BOX)) == 0


def test_simplify_drops_what_the_tolerance_cannot_see() -> None:
    wobble = np.array([[x, 0.05 * (-1) ** x] for x in range(50)], dtype=float)
    assert simplify(wobble, 0.2).tolist() == [wobble[0].tolist(), wobble[-1].tolist()]
    spike = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 5.0], [3.0, 0.0], [4.0, 0.0]])
    assert [2.0, 5.0] in simplify(spike, 0.5).tolist()


def test_an_iraq_and_syria_map_is_small_and_inside_its_box() -> None:
    drawn = basemap(IRAQ_SYRIA)
    assert drawn.resolution == "10m" and tuple(drawn.layers) == LAYER_ORDER
    for name in ("land", "admin0", "admin1", "coast", "lakes"):
        assert drawn.layers[name], f"{name} is empty"
    assert 20_000 < drawn.size < 300_000
    for x, y in path_points("".join(drawn.layers.values())):
        assert -0.1 <= x <= drawn.width + 0.1 and -0.1 <= y <= drawn.height + 0.1
    # Simplification keeps it small: without it the same map is half as large again.
    assert basemap(IRAQ_SYRIA, tolerance=0.0).size > 1.4 * drawn.size


def test_the_projection_scales_longitude_by_the_middle_latitude() -> None:
    drawn = basemap(IRAQ_SYRIA)
    p = drawn.projection
    assert p.kx * IRAQ_SYRIA.width == pytest.approx(drawn.width)
    assert p.kx / p.ky == pytest.approx(np.cos(np.radians(33.75)))
    ((x, y),) = p.project(np.array([[IRAQ_SYRIA.east, IRAQ_SYRIA.south]])).tolist()
    assert (x, y) == pytest.approx((drawn.width, drawn.height), abs=0.5)


def test_a_world_map_uses_the_coarse_layers() -> None:
    drawn = basemap(Bounds(-170.0, -60.0, 170.0, 80.0))
    assert drawn.resolution == "110m"
    assert drawn.layers["land"] and drawn.layers["lakes"] == ""
    assert drawn.size < 300_000


def test_focus_leaves_far_places_out_but_keeps_every_near_one() -> None:
    near = [(40.9, 34.5), (44.4, 33.3), (36.3, 33.5), (43.1, 36.3), (38.0, 36.8)]
    far = (-98.5, 39.8)
    box = focus_bounds([*near, far])
    assert box is not None
    assert all(box.contains(lon, lat) for lon, lat in near)
    assert not box.contains(*far)
    # Two regions of equal weight: both shown.
    split = [(44.0, 33.0), (44.2, 33.1), (69.2, 34.5), (69.1, 34.6)]
    both = focus_bounds(split)
    assert both is not None and all(both.contains(lon, lat) for lon, lat in split)


def test_focus_of_one_place_has_a_minimum_span_and_a_page_shape() -> None:
    box = focus_bounds([(43.1, 36.3)])
    assert box is not None and box.contains(43.1, 36.3)
    assert box.width >= 1.5 and box.height >= 1.5 * 0.5
    ratio = box.height / (box.width * np.cos(np.radians((box.north + box.south) / 2)))
    assert 0.55 - 1e-9 <= ratio <= 0.85 + 1e-9
    assert focus_bounds([]) is None
