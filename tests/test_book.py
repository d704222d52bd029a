"""The HTML book: built with warnings as errors, complete, and self-contained."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_book_builds_with_warnings_as_errors(built_book):
    log = built_book["log"]
    assert built_book["returncode"] == 0, f"jupyter-book build failed:\n{log[-5000:]}"
    assert "WARNING" not in log and "ERROR" not in log, log[-5000:]
    # The chapters came from the execution cache, executed once by the test session.
    assert "Executing notebook" not in log, "the book build re-executed a chapter"


def test_book_has_the_introduction_and_every_chapter(built_book):
    html = built_book["html"]
    assert (html / "index.html").is_file()
    assert (html / "book" / "intro.html").is_file()
    for nb in sorted((html.parent.parent / "notebooks").glob("*.ipynb")):
        page = html / "notebooks" / f"{nb.stem}.html"
        assert page.is_file(), f"missing chapter page {page}"


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in ("src", "href", "data"):
            value = attrs.get(attr)
            if not value:
                continue
            loads = tag in ("script", "img", "iframe", "embed", "object", "source", "video", "audio") or (
                tag == "link" and attr == "href")
            if loads:
                self.refs.append((tag, attr, value))


def _pages(html: Path) -> list[Path]:
    return [p for p in html.rglob("*.html") if "_sources" not in p.parts]


def test_no_page_loads_anything_from_outside_the_book(built_book):
    offenders = []
    for page in _pages(built_book["html"]):
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.name}: <{t} {a}={v}>" for t, a, v in parser.refs if EXTERNAL.match(v)]
    assert not offenders, "\n".join(offenders[:50])


def test_no_style_sheet_loads_anything_from_outside(built_book):
    url = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)
    offenders = []
    for css in built_book["html"].rglob("*.css"):
        for ref in url.findall(css.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(ref):
                offenders.append(f"{css.relative_to(built_book['html'])}: {ref}")
    assert not offenders, "\n".join(offenders[:50])


def test_math_is_served_locally(built_book):
    html = built_book["html"]
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    page = (html / "notebooks" / "00-explorers.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in page


def test_explorers_are_static_not_widgets(built_book):
    page = (built_book["html"] / "notebooks" / "00-explorers.html").read_text(encoding="utf-8")
    assert page.count('class="llmx-explorer"') == 2
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "llmmath-explorer.js" in page


def test_chapter_one_prints_its_analogy_accuracy(built_book):
    page = built_book["html"] / "notebooks" / "01-vectors-embeddings.html"
    if not page.exists():
        pytest.fail("chapter 1 is missing from the book")
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    assert re.search(r"[Oo]verall analogy accuracy.{0,120}?:\s*(0\.\d+|1\.0+|\d+(\.\d+)?\s*%)", text), \
        "chapter 1 must print its overall analogy accuracy"


# --------------------------------------------------------------------------
# The chapter template, on the built pages (see book/authoring.md).

COLUMN_PX = 670
MIN_TEXT_PX = 9.0
MIN_SCRIPT_PX = 8.0  # exponents and indices of formulas


def _chapter_pages(html: Path) -> list[Path]:
    return sorted((html / "notebooks").glob("*.html"))


def _output_images(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    outputs = re.findall(r'<div class="cell_output[^"]*"[^>]*>(.*?)</div>\s*</div>\s*</div>', text, re.S)
    return re.findall(r'<img[^>]+src="([^"]+)"', " ".join(outputs))


def test_figures_are_svg_designed_for_the_column(html_dir):
    problems = []
    for page in _chapter_pages(html_dir):
        for src in _output_images(page):
            if src.startswith("data:"):
                continue
            if not src.endswith(".svg"):
                problems.append(f"{page.name}: {src} is not SVG")
                continue
            svg = (page.parent / src).resolve().read_text(encoding="utf-8")
            width_pt = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg).group(1))
            width_px = width_pt * 4 / 3
            scale = min(1.0, COLUMN_PX / width_px)
            if width_px > COLUMN_PX + 30:
                problems.append(f"{page.name}: {src} is {width_px:.0f} px wide (column {COLUMN_PX})")
            # Mathtext draws radicals and big delimiters from the STIXSize fonts at whatever
            # size fits the formula: glyphs of a construct, not text to read, so not counted.
            styles = [st for st in re.findall(r'style="([^"]*)"', svg) if "STIXSize" not in st]
            sizes = {float(s) for st in styles
                     for s in re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", st)}
            # mathtext draws sub- and superscripts at 70 % of their base size:
            # those may go down to MIN_SCRIPT_PX, all other text to MIN_TEXT_PX
            scripts = {s for s in sizes if any(abs(s - 0.7 * b) < 0.06 for b in sizes)}
            for size in sizes:
                shown = size * 4 / 3 * scale
                floor = MIN_SCRIPT_PX if size in scripts else MIN_TEXT_PX
                if shown < floor - 0.05:
                    problems.append(f"{page.name}: {src} has text of {shown:.1f} px")
                    break
            background = re.search(r'<g id="patch_1">\s*<path[^>]*style="fill:\s*(#[0-9a-fA-F]{6})', svg)
            if background:
                problems.append(f"{page.name}: {src} has an opaque background {background.group(1)}")
    assert not problems, "\n".join(problems[:40])


def test_the_claims_index_is_generated_from_the_chapters(html_dir):
    page = (html_dir / "book" / "claims.html").read_text(encoding="utf-8")
    n_boxes = sum(len(re.findall(r'class="[^"]*\bclaim\b[^"]*admonition', p.read_text(encoding="utf-8")))
                  for p in _chapter_pages(html_dir))
    assert n_boxes >= 1, "no chapter has a claim box"
    assert page.count('class="llmmath-claim"') == n_boxes, "the index does not list every claim box"
    assert "(missing" not in page, "a claim box has no **Verdict:** line"
    assert page.count("the cell that checks it") == n_boxes


def test_pages_name_articles_by_title_not_file_name(html_dir):
    offenders = [p.name for p in _pages(html_dir)
                 if re.search(r"\d{3}_[0-9a-f]{16}\.txt", p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_the_bibliography_list_has_valid_roles(html_dir):
    page = (html_dir / "book" / "bibliography.html").read_text(encoding="utf-8")
    assert 'role="list" class="citation-list"' not in page
