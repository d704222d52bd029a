"""Explorers in a live kernel: one output that is a widget in JupyterLab and frames in the book."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from llmmath import explore  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_live_widget_recomputes_when_a_control_moves():
    calls = []

    def draw(lr, mode):
        calls.append((lr, mode))
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.set_title(f"{mode} {lr}")
        return fig

    ex = explore(draw, lr=[0.1, 0.2, 0.3], mode=["a", "b"], alt="test")
    n_frames = len(calls)
    assert n_frames == 6
    live = ex.widget()
    slider, dropdown = live.children[0], live.children[1]
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(dropdown, widgets.Dropdown)
    assert slider.options == (("0.1", 0.1), ("0.2", 0.2), ("0.3", 0.3))
    slider.value = 0.3
    dropdown.value = "b"
    assert calls[-1] == (0.3, "b"), "moving a control must call the function with the new values"
    assert len(calls) > n_frames


def test_an_executed_explorer_carries_the_widget_and_the_static_frames(executed_notebooks):
    nb = next(r.notebook for p, r in executed_notebooks.items() if p.stem == "00-explorers")
    bundles = [out["data"] for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) if "text/html" in out.get("data", {})
               and "llmx-explorer" in out["data"]["text/html"]]
    assert len(bundles) == 2
    for data in bundles:
        assert WIDGET_VIEW in data, "in a kernel the explorer must also be a live widget"
        assert data["text/html"].count("data:image/png;base64,") == 1  # the default frame, shown first
