"""explore(): frames over the grid, the kernel-free HTML, and clear errors."""

from __future__ import annotations

import base64
import html
import json
import math
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from llmmath import Explorer, Param, explore  # noqa: E402
from llmmath.book.explorer import MAX_FRAMES  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DATA_SCRIPT = re.compile(r'<script type="application/json" class="llmx-data">(.*?)</script>', re.S)


def payload(ex: Explorer) -> dict:
    found = DATA_SCRIPT.findall(ex.to_html())
    assert len(found) == 1
    return json.loads(found[0])  # JSON reads "<\/" back as "</"


def text_of(a, b, mode):
    return f"a={a} b={b} mode={mode}"


@pytest.fixture
def grid_explorer():
    return explore(text_of, a=[1, 2, 3], b=[0.5, 1.5], mode=["sgd", "adam"], alt="a text explorer")


# --------------------------------------------------------------------------
# Frames over the grid
# --------------------------------------------------------------------------

def test_builds_one_frame_per_grid_point(grid_explorer):
    assert len(grid_explorer.frames) == 3 * 2 * 2
    assert grid_explorer.name == "text_of"


def test_frame_at_returns_the_right_frame(grid_explorer):
    for a in (1, 2, 3):
        for b in (0.5, 1.5):
            for mode in ("sgd", "adam"):
                assert grid_explorer.frame_at(a=a, b=b, mode=mode)["text"] == text_of(a, b, mode)


def test_frame_at_defaults_to_the_middle_or_the_given_default():
    ex = explore(text_of, a=[1, 2, 3], b=Param([0.5, 1.5, 2.5, 3.5], default=3.5),
                 mode=["x", "y"], alt="defaults")
    # a: the middle value; b: its declared default; mode: (2 - 1) // 2 = the first
    assert ex.frame_at()["text"] == text_of(2, 3.5, "x")
    assert ex.frame_at(a=3)["text"] == text_of(3, 3.5, "x")


def test_calls_the_function_once_per_grid_point_in_order():
    calls = []

    def record(x, y):
        calls.append((x, y))
        return ""

    explore(record, x=[1, 2], y=["p", "q", "r"], alt="calls")
    assert calls == [(1, "p"), (1, "q"), (1, "r"), (2, "p"), (2, "q"), (2, "r")]


def test_text_frames_capture_printed_output():
    def noisy(n):
        print(f"{n} squared")
        print(n * n)

    ex = explore(noisy, n=[2, 3], alt="printing")
    assert ex.frame_at(n=3)["text"] == "3 squared\n9"
    assert "png" not in ex.frame_at(n=3)


def test_printed_and_returned_text_are_both_kept():
    def both(n):
        print("printed")
        return f"returned {n}"

    ex = explore(both, n=[1], alt="both")
    assert ex.frame_at(n=1)["text"] == "printed\nreturned 1"


def test_figure_frames_are_png_and_figures_are_closed():
    def draw(slope):
        fig, ax = plt.subplots(figsize=(2, 1.5))
        x = np.linspace(0, 1, 20)
        ax.plot(x, slope * x)
        return fig

    before = set(plt.get_fignums())
    ex = explore(draw, slope=[0.5, 1.0, 2.0], alt="a line whose slope changes")
    assert set(plt.get_fignums()) == before  # nothing leaks
    pngs = [base64.b64decode(f["png"]) for f in ex.frames]
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)
    assert len(set(pngs)) == 3  # three different pictures
    assert ex.nbytes == sum(len(f["png"]) + len(f["text"]) for f in ex.frames)


def test_figures_drawn_with_pyplot_without_returning_are_captured():
    def draw(c):
        plt.figure(figsize=(1.5, 1.5))
        plt.plot([0, 1], [0, c])

    ex = explore(draw, c=[1.0, 2.0], alt="implicit figure")
    assert all("png" in f for f in ex.frames)


# --------------------------------------------------------------------------
# The static HTML
# --------------------------------------------------------------------------

def test_html_has_one_control_per_parameter(grid_explorer):
    page = grid_explorer.to_html()
    assert page.count("data-param=") == 3
    assert page.count('<input type="range"') == 2  # numbers give sliders
    assert page.count("<select") == 1  # anything else a dropdown
    for name in ("a", "b", "mode"):
        assert f'data-param="{name}"' in page
    assert '<option value="0" selected>sgd</option><option value="1">adam</option>' in page


def test_html_json_has_every_frame(grid_explorer):
    data = payload(grid_explorer)
    assert len(data["frames"]) == math.prod(len(p.values) for p in grid_explorer.params.values()) == 12
    assert data["shape"] == [3, 2, 2]
    assert [p["name"] for p in data["params"]] == ["a", "b", "mode"]
    assert data["params"][1]["labels"] == ["0.5", "1.5"]
    assert data["frames"] == grid_explorer.frames
    assert data["alt"] == "a text explorer"
    # frames are in C order over the grid: the last parameter varies fastest
    idx = np.ravel_multi_index((2, 1, 0), data["shape"])
    assert data["frames"][idx]["text"] == text_of(3, 1.5, "sgd")


def test_html_shows_the_default_frame(grid_explorer):
    page = grid_explorer.to_html()
    default = grid_explorer.frame_at()["text"]
    assert f'<pre class="llmx-text">{html.escape(default)}</pre>' in page


def test_html_cannot_be_broken_out_of():
    ex = explore(lambda s: f"</script><b>{s}</b>", s=["<x>", "&"], alt='quotes " and <tags>')
    page = ex.to_html()
    assert page.count("</script>") == 1  # only the real end of the data block
    assert payload(ex)["frames"][0]["text"] == "</script><b><x></b>"
    assert "<b>" not in page.split('<script type="application/json"')[0]


def test_param_formats_and_labels():
    ex = explore(lambda lr: "", lr=Param([0.001, 0.01], label="learning rate", fmt="{:.3f}"), alt="labels")
    page = ex.to_html()
    assert "<span>learning rate</span>" in page
    assert payload(ex)["params"][0]["labels"] == ["0.001", "0.010"]


def test_mimebundle_without_kernel_is_static_html(grid_explorer):
    bundle = grid_explorer._repr_mimebundle_()
    assert "text/html" in bundle and "text/plain" in bundle
    assert WIDGET_VIEW not in bundle
    assert bundle["text/html"] == grid_explorer.to_html()
    assert "12 frames" in bundle["text/plain"]


def test_numpy_values_give_sliders():
    ex = explore(lambda t: f"{t:.2f}", t=np.linspace(0, 1, 5), alt="numpy grid")
    assert ex.params["t"].is_slider
    assert ex.frame_at(t=ex.params["t"].values[4])["text"] == "1.00"


# --------------------------------------------------------------------------
# Limits and the bad-input table
# --------------------------------------------------------------------------

def test_too_large_grid_raises_before_drawing():
    calls = []
    side = math.isqrt(MAX_FRAMES) + 1
    with pytest.raises(ValueError, match=rf"grid has {side * side} points; at most {MAX_FRAMES}"):
        explore(lambda a, b: calls.append(1), a=range(side), b=list(range(side)), alt="too big")
    assert calls == []


def test_too_heavy_frames_raise():
    with pytest.raises(ValueError, match=r"frames weigh .* KB"):
        explore(lambda n: "x" * 700_000, n=[1], alt="heavy")


def _f(x):
    return str(x)


BAD_INPUTS = [
    pytest.param(lambda: explore(_f, alt="no params"), ValueError, r"at least one parameter", id="no-parameters"),
    pytest.param(lambda: explore(_f, x=[1], alt=""), ValueError, r"alt must be a non-empty", id="alt-empty"),
    pytest.param(lambda: explore(_f, x=[1], alt="   "), ValueError, r"alt must be a non-empty", id="alt-blank"),
    pytest.param(lambda: explore(_f, x=[1], alt=None), ValueError, r"alt must be", id="alt-none"),
    pytest.param(lambda: explore("not callable", x=[1], alt="a"), TypeError, r"func must be callable",
                 id="func-not-callable"),
    pytest.param(lambda: explore(_f, x="abc", alt="a"), TypeError, r"parameter 'x' must be a Param or a sequence",
                 id="param-string"),
    pytest.param(lambda: explore(_f, x=5, alt="a"), TypeError, r"parameter 'x' must be", id="param-scalar"),
    pytest.param(lambda: explore(_f, x=[], alt="a"), ValueError, r"Param values must not be empty",
                 id="param-empty"),
    pytest.param(lambda: Param([1, 2], default=3), ValueError, r"default 3 is not one of its values",
                 id="param-bad-default"),
    pytest.param(lambda: explore(lambda: "", x=[1], alt="a"), TypeError, r"unexpected keyword argument 'x'",
                 id="param-not-an-argument"),
]


@pytest.mark.parametrize("call, exc, match", BAD_INPUTS)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("kwargs, exc, match", [
    pytest.param({"c": 1}, TypeError, r"'c'", id="unknown-parameter"),
    pytest.param({"a": 7}, ValueError, r"\ba\b.*7", id="value-not-in-grid"),
])
def test_frame_at_bad_input(grid_explorer, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        grid_explorer.frame_at(**kwargs)
