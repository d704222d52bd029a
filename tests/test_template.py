"""The chapter template (book/authoring.md), checked on every chapter's source.

These tests read the notebooks as stored (no execution), so they are fast and
they run over every chapter a helper adds: each rule of the authoring guide
that can be read off the source is a test here; the rules about the built
pages are in test_browser.py.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import IN_CI, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*-*.ipynb"))  # 02b-... too
CHAPTERS = [nb for nb in NOTEBOOKS if not nb.name.startswith("00-")]
SEEDS = ROOT.parent / "shared" / "seeds"
MAX_LINE = 78
MAX_CELL_LINES = 20


def _ids(paths):
    return [p.stem for p in paths]


def _cells(path: Path, kind: str):
    nb = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == kind]


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# --------------------------------------------------------------------------
# Numbers in markdown are glued.

_MASKS = [
    r"```.*?```",                                   # fenced blocks (directives, code)
    r"\$\$.*?\$\$",                                 # display math
    r"\\begin\{(?P<env>\w+\*?)\}.*?\\end\{(?P=env)\}",  # amsmath environments
    r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$",       # inline math (may span lines)
    r"\{[\w:-]+\}`[^`]*`",                          # roles: glue, cite, eq, ref, func...
    r"`(?:[^`\n]|\n(?!\s*\n))*`",                    # inline code (may wrap a line)
    # directive fences and options: one line each ((?-s:...): `.` must not cross lines)
    r"(?-s:^\s*:::.*$)", r"(?-s:^\s*:[\w-]+:.*$)",
    r"^\s*\([\w-]+\)=\s*$",                         # targets
    r"\]\([^)]*\)",                                 # link URLs (the link text stays)
    r"<[^>\n]+>",                                   # HTML tags
    # section and chapter numbers, the articles' topic numbers
    r"(?i:\b(?:chapters?|sections?|topics?|parts?|exercises?|appendix|step)\s+\d+(?:\.\d+)*"
    r"(?:\s*(?:,|and|or|to|–|-)\s*\d+(?:\.\d+)*)*)",
    r"\b(?:1[6-9]|20)\d\d\b",                       # years
    r"\b\d+-D\b",                                   # 2-D, 3-D
    r"\b\d+-norms?\b",                              # the 2-norm: a name
    r"\b\d+-grams?\b",                              # 4-gram: a name, like 2-D
    r"[A-Za-z]+\d+[A-Za-z\d]*|\d+(?!st\b|nd\b|rd\b|th\b|e[-+]?\d)[A-Za-z][A-Za-z\d]*",  # float32, 3CosAdd (not 1e8)
]
_MASK = re.compile("|".join(f"(?:{m})" for m in _MASKS), re.S | re.M)
_DIGIT = re.compile(r"\d")


def unglued_numbers(markdown: str) -> list[str]:
    """Digits left in a markdown cell once math, roles, code, section numbers,
    years and names such as float32 are masked: numbers typed by hand."""
    masked = _MASK.sub(" ", markdown)
    hits = []
    for m in re.finditer(r"[^\s]*\d[^\s]*", masked):
        start, end = max(0, m.start() - 30), m.end() + 10
        hits.append(" ".join(masked[start:end].split()))
    return hits


@pytest.mark.parametrize("text, expected", [
    ("the rank is 50 here", 1),
    ("the rank is {glue:text}`rank` here", 0),
    ("with $d = 50$ and $$x^2$$", 0),
    ("topics 5 and 6 of the article, in chapter 3", 0),
    ("float32 and 3CosAdd in 2-D, in 2014", 0),
    ("a condition number near 1e8", 1),
    ("the 95th percentile", 1),
    ("`x[:10]` and {cite:p}`pennington2014glove`", 0),
    ("multi-line $a\n= 2$ math", 0),
    ("`pip install\nx==0.6` and a 4-gram", 0),
    (":::{note}\nthe 20 000 vectors\n:::", 2),  # "20" and "000"
    (":::{exercise}\n:label: ex-1\nabout 219 tokens", 1),
])
def test_the_number_heuristic_itself(text, expected):
    assert len(unglued_numbers(text)) == expected, unglued_numbers(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_number_in_markdown_is_glued(path):
    offenders = [f"cell {i}: …{hit}…" for i, c in _cells(path, "markdown")
                 for hit in unglued_numbers(c.source)]
    assert not offenders, ("numbers typed by hand (glue them from the cell that computes them):\n"
                           + "\n".join(offenders))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_a_cell_that_glues_also_shows_the_value(path):
    """JupyterLab's MyST renderer does not show {glue} roles: the glued value
    must also be printed by the cell that glues it."""
    silent = [i for i, c in _cells(path, "code")
              if re.search(r"\bglue\(", c.source) and not re.search(r"\b(print|display|glue_shown)\(", c.source)]
    assert not silent, f"cells {silent} glue values without printing them"


def _figure_texts(path: Path):
    """(cell, kind, text) for every figure caption and alt text: the myst-nb
    metadata of a figure cell, and the literal parts of an explorer's caption=
    and alt= strings (an f-string's {fields} are computed, so they count as glued)."""
    for i, c in _cells(path, "code"):
        meta = c.get("metadata", {}).get("mystnb", {})
        yield i, "caption", meta.get("figure", {}).get("caption", "")
        yield i, "alt text", meta.get("image", {}).get("alt", "")
        try:
            tree = ast.parse(c.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "explore":
                for kw in node.keywords:
                    if kw.arg in ("caption", "alt"):
                        parts = [n.value for n in ast.walk(kw.value)
                                 if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                        yield i, f"explorer {kw.arg}", " … ".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_number_in_a_caption_or_alt_text_is_glued(path):
    """Captions are MyST, so they can glue ({glue:md}`name`); alt text cannot, so
    it describes what the figure shows in words; explorer strings are f-strings."""
    offenders = [f"cell {i} {kind}: …{hit}…" for i, kind, text in _figure_texts(path)
                 for hit in unglued_numbers(text)]
    assert not offenders, ("numbers typed by hand in captions or alt text:\n" + "\n".join(offenders))


# --------------------------------------------------------------------------
# Code that fits.

@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_code_lines_fit_the_column(path):
    long = [f"cell {i}: {line[:60]}… ({len(line)})" for i, c in _cells(path, "code")
            for line in c.source.splitlines() if len(line) > MAX_LINE]
    assert not long, f"code lines over {MAX_LINE} characters:\n" + "\n".join(long)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_code_cells_are_short(path):
    long = [f"cell {i}: {len(c.source.splitlines())} lines" for i, c in _cells(path, "code")
            if "hide-input" not in _tags(c) and len(c.source.strip().splitlines()) > MAX_CELL_LINES]
    assert not long, (f"code cells over {MAX_CELL_LINES} lines (move plotting to llmmath.book "
                      "or tag the cell hide-input):\n" + "\n".join(long))


def _ruff() -> str | None:
    here = Path(sys.executable).parent / "ruff"
    return str(here) if here.exists() else shutil.which("ruff")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_code_is_formatted_at_the_column_width(path, tmp_path):
    ruff = _ruff()
    if ruff is None:
        if IN_CI:
            pytest.fail("ruff is not installed (it is in the test extra)")
        pytest.skip("ruff is not installed")
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    proc = subprocess.run([ruff, "format", "--isolated", "--line-length", str(MAX_LINE), "--diff",
                           str(copy)], capture_output=True, text=True)
    assert proc.returncode == 0, (f"`ruff format --line-length {MAX_LINE}` would change {path.name}:\n"
                                  + proc.stdout[-4000:] + proc.stderr[-1000:])


# --------------------------------------------------------------------------
# Figures and explorers.

@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_the_first_code_cell_sets_the_book_style(path):
    first = _cells(path, "code")[0][1]
    assert "use_book_style()" in first.source, "call llmmath.use_book_style() in the first code cell"
    assert "hide-input" in _tags(first), "the set-up cell is tagged hide-input"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_explorers_have_a_caption(path):
    calls = [(i, c) for i, c in _cells(path, "code") if re.search(r"(?<![\w.])explore\(", c.source)]
    assert calls, "every chapter has at least one explorer"
    missing = [i for i, c in calls if "caption=" not in c.source]
    assert not missing, f"explorers without caption= in cells {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_figures_fit_the_column(path):
    """figsize literals are at most the column's 6.7 inches wide."""
    wide = [f"cell {i}: figsize=({w}, …)" for i, c in _cells(path, "code")
            for w in re.findall(r"figsize=\(\s*([\d.]+)\s*,", c.source) if float(w) > 6.7 + 1e-9]
    assert not wide, "figures wider than the 670 px column:\n" + "\n".join(wide)


# --------------------------------------------------------------------------
# Sources, claims, exercises.

def _seed_titles() -> list[str]:
    readme = SEEDS / "README.md"
    if not readme.exists():
        return []
    return re.findall(r'"([^"]{12,})"', readme.read_text(encoding="utf-8"))


def _seed_text() -> str:
    if not SEEDS.exists():
        return ""
    return " ".join(_normal(p.read_text(encoding="utf-8", errors="replace")) for p in sorted(SEEDS.glob("*.txt")))


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_where_this_comes_from_names_articles_by_title(path):
    text = "\n".join(c.source for _, c in _cells(path, "markdown"))
    box = re.search(r":::\{admonition\} Where this comes from(.*?)\n:::", text, re.S)
    assert box, 'the chapter opens with a ":::{admonition} Where this comes from" note'
    assert not re.search(r"\d{3}_[0-9a-f]{16}(\.txt)?", text), "an article is named by its file name"
    titles = _seed_titles()
    if titles:
        assert any(_normal(t) in _normal(box.group(1)) for t in titles), \
            f"the note names none of the articles by title: {titles}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_nothing_is_quoted_from_the_articles(path):
    seeds = _seed_text()
    if not seeds:
        if IN_CI:
            pytest.fail(f"the articles are missing from {SEEDS}")
        pytest.skip(f"the articles are not at {SEEDS}")
    text = _normal("\n".join(c.source for _, c in _cells(path, "markdown")))
    titles = [_normal(t) for t in _seed_titles()] + ["syndu", "david maiolo", "8barfreestyle editors"]
    for title in sorted(titles, key=len, reverse=True):  # naming an article is not quoting it
        text = text.replace(title, " | ")
    words = text.split()
    n = 9  # nine words in a row shared with an article is a quotation, not a coincidence
    shared = {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)
              if "|" not in words[i:i + n] and " ".join(words[i:i + n]) in seeds}
    quoted = [q for q in re.findall(r'["“]([^"”]{12,}?)["”]', "\n".join(
        c.source for _, c in _cells(path, "markdown"))) if len(q.split()) >= 4 and _normal(q) in seeds and _normal(q) not in titles]
    assert not shared and not quoted, f"text copied from the articles: {sorted(shared)[:5]} {quoted[:5]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_claim_boxes_are_marked_and_have_a_verdict(path):
    text = "\n".join(c.source for _, c in _cells(path, "markdown"))
    boxes = re.findall(r":::\{admonition\} What the articles? says?(.*?)\n:::", text, re.S)
    claims = re.findall(r":::\{admonition\}[^\n]*\n:class:[^\n]*\bclaim\b(.*?)\n:::", text, re.S)
    assert len(claims) == len(boxes), "every 'What the article says' box has :class: claim"
    bad = [b[:80] for b in claims if not re.search(r"^\*\*Verdict:\*\*\s+\S", b, re.M)]
    assert not bad, f"claim boxes without a '**Verdict:** ...' line: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_exercises_fold_and_one_asks_for_a_proof(path):
    text = "\n".join(c.source for _, c in _cells(path, "markdown"))
    exercises = re.findall(r":::\{exercise\}(.*?)\n:::", text, re.S)
    solutions = re.findall(r":::\{solution\}[^\n]*\n(:class:[^\n]*)", text)
    assert exercises, "the chapter ends with exercises"
    assert solutions and all("dropdown" in s for s in solutions), "solutions fold (:class: dropdown)"
    assert any(re.search(r"(?i)\b(prove|show that|derive|deduce)\b", e) for e in exercises), \
        "at least one exercise asks for a proof or a derivation"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebooks_are_stored_without_outputs(path):
    with_outputs = [i for i, c in _cells(path, "code") if c.get("outputs") or c.get("execution_count")]
    assert not with_outputs, f"cells {with_outputs} are stored with outputs"
