"""Numbers for the text, from the code: glue a value and show it in the same cell.

The book's text never types a number by hand: a cell computes it and glues it
(myst-nb), and the text shows it with ``{glue:md}`name```. JupyterLab's MyST
renderer does not display glued values, so :func:`glue_shown` also prints the
value, beside the code that computed it, for a reader of the notebook.
"""

from __future__ import annotations

import numbers

__all__ = ["glue_shown", "format_number"]

THIN_SPACE = "\u202f"  # narrow no-break space: 400 000, as the book writes large numbers


def format_number(value, fmt: str | None = None) -> str:
    """A number as the book writes it: thousands grouped by a thin space.

    Parameters
    ----------
    value : int, float or str
        The value; strings are returned unchanged.
    fmt : str, optional
        A format specification (``".2f"``, ``".1%"``, ``".1e"``...); integers
        default to grouped digits, floats to ``".3g"``.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(400000)
    '400\u202f000'
    >>> format_number(0.9987, ".1%")
    '99.9%'
    """
    if isinstance(value, str):
        return value
    if fmt is None:
        fmt = ",d" if isinstance(value, numbers.Integral) else ".3g"
    text = format(value, fmt)
    return text.replace(",", THIN_SPACE)


def glue_shown(name: str, value, fmt: str | None = None, *, label: str | None = None) -> None:
    """Glue ``value`` under ``name`` as inline text and print it.

    In the text, ``{glue:md}`name``` shows the formatted value.

    Parameters
    ----------
    name : str
        The glue key.
    value : int, float or str
        What to show.
    fmt : str, optional
        Format specification, see :func:`format_number`.
    label : str, optional
        What the printed line calls the value (defaults to ``name``).

    Returns
    -------
    None
        Nothing, so that a cell ending with it shows only the printed line, not
        the value's repr a second time; :func:`format_number` gives the text.

    Examples
    --------
    >>> glue_shown("n_words", 400000)  # doctest: +SKIP
    n_words = 400 000
    """
    from IPython.display import Markdown
    from myst_nb import glue

    text = format_number(value, fmt)
    glue(name, Markdown(text), display=False)
    print(f"{label or name} = {text}")
