r"""Explorers: a function of a few parameters that answers to sliders, with or without a kernel.

``explore(draw, lr=[0.1, 0.5, 1.0])`` returns one object that displays in two
ways at once:

* in JupyterLab, with a live kernel, it is an ipywidgets control: moving the
  slider calls ``draw`` again;
* in the static HTML book, where no kernel runs, the same output carries every
  frame over the parameter grid, computed when the notebook was executed, and
  a small script of the book's own (``book/assets/llmmath-explorer.js``)
  shows the frame that matches the controls.

Jupyter front ends pick the richest output they can render: the widget when a
kernel is attached, the precomputed HTML otherwise (the book's configuration
ranks HTML above widget views). A chapter never needs to know where it runs.

``draw`` may return a matplotlib figure, return a string, or print; all three
are captured per frame.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["explore", "Param", "Explorer"]

#: Upper bounds that keep a page light (see the interactivity chapter).
MAX_FRAMES = 160
MAX_BYTES = 600_000


@dataclass(frozen=True)
class Param:
    """One control of an explorer.

    Parameters
    ----------
    values : sequence
        The grid of values. Numbers give a slider; anything else a dropdown.
    label : str, optional
        The control's label (defaults to the argument name).
    default : optional
        The starting value (defaults to the middle of ``values``).
    fmt : str, default "{:g}"
        How a numeric value is printed beside the slider.
    """

    values: Sequence
    label: str | None = None
    default: object = None
    fmt: str = "{:g}"
    _labels: tuple = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        values = list(self.values)
        if not values:
            raise ValueError("Param values must not be empty")
        if self.default is not None and self.default not in values:
            raise ValueError(f"Param default {self.default!r} is not one of its values {values!r}")
        labels = tuple(self.fmt.format(v) if self.numeric_values(values) else str(v) for v in values)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_labels", labels)

    @staticmethod
    def numeric_values(values) -> bool:
        return all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                   for v in values)

    @property
    def labels(self) -> tuple[str, ...]:
        """How each value is shown beside the control."""
        return self._labels

    @property
    def is_slider(self) -> bool:
        return self.numeric_values(self.values)

    @property
    def default_index(self) -> int:
        if self.default is None:
            return (len(self.values) - 1) // 2
        return self.values.index(self.default)


#: CSS pixels per inch of a figure as the page shows it (matplotlib's SVG size: 72 pt = 96 px).
CSS_PX_PER_INCH = 96


def _figure_png(fig, dpi: int) -> bytes:
    """A figure as a compact palette PNG with a transparent background (so it follows a dark theme)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, transparent=True, metadata={"Software": None})
    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGBA")
    small = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="png", optimize=True)
    return out.getvalue()


def _run_frame(func: Callable, kwargs: dict, dpi: int) -> dict:
    """Call ``func`` once; capture its figure (PNG) and its text."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    before = set(plt.get_fignums())
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        result = func(**kwargs)
    figures = [result] if isinstance(result, Figure) else []
    figures += [plt.figure(n) for n in plt.get_fignums() if n not in before
                and plt.figure(n) is not result]
    text = stdout.getvalue()
    if isinstance(result, str):
        text += result
    frame: dict = {"text": text.rstrip("\n")}
    if figures:
        frame["png"] = base64.b64encode(_figure_png(figures[0], dpi)).decode("ascii")
        frame["width"] = round(figures[0].get_figwidth() * CSS_PX_PER_INCH)
    for fig in figures:
        plt.close(fig)
    return frame


class Explorer:
    """What :func:`explore` returns: displays as a live widget or as precomputed frames."""

    def __init__(self, func: Callable, params: dict[str, Param], *, alt: str, dpi: int,
                 name: str | None = None, caption: str | None = None) -> None:
        self.func = func
        self.params = params
        self.alt = alt
        self.caption = caption
        self.dpi = dpi
        self.name = name or getattr(func, "__name__", "explorer")
        grid = list(itertools.product(*(range(len(p.values)) for p in params.values())))
        if len(grid) > MAX_FRAMES:
            raise ValueError(f"the parameter grid has {len(grid)} points; at most {MAX_FRAMES} keep the page light")
        self.frames = [self._frame(idx) for idx in grid]
        size = sum(len(f.get("png", "")) + len(f["text"]) for f in self.frames)
        if size > MAX_BYTES:
            raise ValueError(
                f"the explorer's frames weigh {size / 1e3:.0f} KB, more than {MAX_BYTES / 1e3:.0f} KB: "
                "use fewer grid points, a smaller figure or a lower dpi"
            )
        self.nbytes = size

    def _kwargs(self, idx: Sequence[int]) -> dict:
        return {name: p.values[i] for (name, p), i in zip(self.params.items(), idx)}

    def _frame(self, idx: Sequence[int]) -> dict:
        return _run_frame(self.func, self._kwargs(idx), self.dpi)

    @property
    def default_index(self) -> tuple[int, ...]:
        return tuple(p.default_index for p in self.params.values())

    def frame_at(self, **values) -> dict:
        """The precomputed frame for the given parameter values (for tests)."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise TypeError(f"frame_at got unknown parameter(s) {unknown}; the parameters are {list(self.params)}")
        idx = []
        for name, p in self.params.items():
            value = values.get(name, p.values[p.default_index])
            if value not in p.values:
                raise ValueError(f"{name}={value!r} is not on the explorer's grid {p.values!r}")
            idx.append(p.values.index(value))
        flat = np.ravel_multi_index(tuple(idx), tuple(len(p.values) for p in self.params.values()))
        return self.frames[int(flat)]

    # -- static HTML -----------------------------------------------------
    def _controls_html(self) -> str:
        parts = []
        for name, p in self.params.items():
            label = html.escape(p.label or name)
            if p.is_slider:
                shown = html.escape(p.labels[p.default_index])
                parts.append(
                    f'<label class="llmx-control"><span>{label}</span>'
                    f'<input type="range" data-param="{html.escape(name)}" min="0" '
                    f'max="{len(p.values) - 1}" step="1" value="{p.default_index}" '
                    f'aria-label="{label}" aria-valuetext="{shown}">'
                    f'<output aria-hidden="true">{shown}</output></label>'
                )
            else:
                options = "".join(
                    f'<option value="{i}"{" selected" if i == p.default_index else ""}>{html.escape(lab)}</option>'
                    for i, lab in enumerate(p.labels)
                )
                parts.append(
                    f'<label class="llmx-control"><span>{label}</span>'
                    f'<select data-param="{html.escape(name)}" aria-label="{label}">{options}</select></label>'
                )
        return "".join(parts)

    def to_html(self) -> str:
        """The kernel-free rendering: controls, the default frame, and all frames as JSON."""
        shape = [len(p.values) for p in self.params.values()]
        start = self.frames[int(np.ravel_multi_index(self.default_index, shape))]
        payload = {
            "params": [{"name": n, "labels": list(p.labels)} for n, p in self.params.items()],
            "shape": shape,
            "frames": self.frames,
            "alt": self.alt,
        }
        data = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")
        width = f' style="--llmx-width: {start["width"]}px"' if "width" in start else ""
        img = (f'<img class="llmx-image" alt="{html.escape(self.alt)}"{width} '
               f'src="data:image/png;base64,{start["png"]}">' if "png" in start else "")
        text = f'<pre class="llmx-text">{html.escape(start["text"])}</pre>' if start["text"] else ""
        caption = (f'<figcaption class="llmx-caption"><span class="llmx-number">Explorer.</span> '
                   f'{html.escape(self.caption)}</figcaption>' if self.caption else "")
        return (
            f'<figure class="llmx-explorer" data-explorer="{html.escape(self.name)}">'
            f'<form class="llmx-controls" onsubmit="return false">{self._controls_html()}</form>'
            f'<div class="llmx-output" aria-live="polite">{img}{text}</div>{caption}'
            f'<script type="application/json" class="llmx-data">{data}</script></figure>'
        )

    # -- live widget -----------------------------------------------------
    def widget(self):
        """An ipywidgets control that calls the function live (needs a kernel)."""
        import ipywidgets as widgets
        import matplotlib.pyplot as plt
        from IPython.display import display
        from matplotlib.figure import Figure

        controls = {}
        for name, p in self.params.items():
            options = list(zip(p.labels, p.values))
            value = p.values[p.default_index]
            if p.is_slider:
                controls[name] = widgets.SelectionSlider(
                    options=options, value=value, description=p.label or name, continuous_update=False)
            else:
                controls[name] = widgets.Dropdown(options=options, value=value, description=p.label or name)

        def show(**kwargs):
            result = self.func(**kwargs)
            if isinstance(result, Figure):
                display(result)
                plt.close(result)
            elif isinstance(result, str):
                print(result)
            else:
                plt.show()

        return widgets.interactive(show, **controls)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {
            "text/plain": f"<Explorer {self.name}: {len(self.frames)} frames over "
                          f"{', '.join(self.params)}>",
            "text/html": self.to_html(),
        }
        try:
            from ipykernel.kernelbase import Kernel

            live = Kernel.initialized()
        except ImportError:  # pragma: no cover - ipykernel comes with the book extra
            live = False
        if live:
            widget_bundle = self.widget()._repr_mimebundle_()
            if widget_bundle:
                bundle.update({k: v for k, v in widget_bundle.items() if k != "text/plain"})
        return bundle


def explore(func: Callable, /, *, alt: str, caption: str | None = None, dpi: int = 2 * CSS_PX_PER_INCH,
            **params) -> Explorer:
    """Make an explorer of ``func`` over a grid of parameter values.

    Parameters
    ----------
    func : callable
        Called as ``func(**values)``; returns a matplotlib figure or a
        string, or prints. Keep it deterministic (seed inside it).
    alt : str
        Alternative text for the figure: what it shows.
    caption : str, optional
        The caption under the explorer, like a figure's: what to look for.
        The book numbers explorers ("Explorer 1.2") in the page.
    dpi : int, default 192
        Resolution of the precomputed frames: twice the 96 px per inch at which
        the page shows them, so they stay sharp on high-density screens.
    **params : Param or sequence
        One entry per argument of ``func``: a :class:`Param`, or just the grid
        of values (numbers give a slider, other values a dropdown).

    Returns
    -------
    Explorer
        Display it (leave it last in a cell).

    Examples
    --------
    >>> from llmmath import explore
    >>> ex = explore(lambda n: f"{n} squared is {n * n}", n=[1, 2, 3], alt="squares")
    >>> ex.frame_at(n=3)["text"]
    '3 squared is 9'
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    if not params:
        raise ValueError("explore needs at least one parameter, e.g. explore(f, lr=[0.1, 0.5])")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty description of what the explorer shows")
    checked = {}
    for name, p in params.items():
        if isinstance(p, Param):
            checked[name] = p
        elif isinstance(p, (str, bytes)) or not isinstance(p, (Sequence, np.ndarray)):
            raise TypeError(f"parameter {name!r} must be a Param or a sequence of values, got {p!r}")
        else:
            checked[name] = Param(list(p))
    if caption is not None and (not isinstance(caption, str) or not caption.strip()):
        raise ValueError("caption must be a non-empty string (or None)")
    return Explorer(func, checked, alt=alt, dpi=dpi, caption=caption)
