"""The built book in a real browser: Debian's Chromium driven by Playwright.

Per page, at 1280 px in the light and the dark theme: every request stays on
127.0.0.1, the console shows no error, the math is typeset, every explorer
responds to its controls, and axe-core (injected from the axe-playwright-python
package, no network) finds no critical or serious violation. At 390 px (a
phone): no page scrolls sideways and wide equations scroll inside their box.
At 390, 900 and 1280 px the navigation toggles open the table of contents.
Screenshots land in _build/screenshots/ (light-1280, dark-1280 and 390 px
versions). Where no browser can be had these tests skip with the reason,
except under CI (CI=true), where they must run.

To run them against a book built elsewhere (without executing the chapters),
set LLMMATH_BOOK_HTML to its html folder.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import socketserver
import threading
from pathlib import Path

import pytest
import yaml

from conftest import IN_CI, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SCREENSHOTS = ROOT / "_build" / "screenshots"
BLOCKING = ("critical", "serious")


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"browser tests must run under CI, but {reason}")
        pytest.skip(reason)


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def book_pages() -> list[str]:
    """Pages of the book (relative URLs): every file of the table of contents,
    the landing page and the index pages Sphinx and its extensions generate."""
    pages = ["index.html"] + [f"{f}.html" for f in _toc_files()]
    return pages + ["prf-prf.html", "genindex.html", "py-modindex.html"]


CHAPTERS = [p for p in book_pages() if p.startswith("notebooks/")]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(html_dir):
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    socketserver.TCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    _need(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "Playwright for Python is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        _need(False, "axe-playwright-python (which ships axe.min.js) is not installed")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


class Visit:
    """One page load with every request and console message recorded."""

    def __init__(self, browser, base: str, path: str, *, width: int = 1280, height: int = 900,
                 scheme: str = "light"):
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           color_scheme=scheme, device_scale_factor=1)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.base = base
        self.path = path
        self.page.goto(f"{base}/{path}", wait_until="load")
        self.page.wait_for_load_state("networkidle")
        self.typeset()

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def typeset(self) -> None:
        if self.page.locator(".math").count():
            self.page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            self.page.evaluate("MathJax.startup.promise")
            self.page.wait_for_timeout(900)  # the book's script marks wide boxes after typesetting

    def axe(self) -> list[dict]:
        self.page.evaluate(_axe_source())
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return result["violations"]

    def screenshot(self, tag: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = self.path.replace("/", "__").replace(".html", "")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{tag}.png"), full_page=True)

    def close(self):
        self.context.close()


def _describe(violations) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} -> "
                     + "; ".join(str(n["target"]) for n in v["nodes"][:3]) for v in violations)


AXE_COUNTS: dict[str, dict[str, int]] = {}


def _record(path: str, scheme: str, violations) -> None:
    counts = AXE_COUNTS.setdefault(path, {})
    for impact in ("critical", "serious", "moderate", "minor"):
        counts[f"{scheme}-{impact}"] = sum(len(v["nodes"]) for v in violations if v["impact"] == impact)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "axe-counts.json").write_text(json.dumps(AXE_COUNTS, indent=1), encoding="utf-8")


@pytest.mark.parametrize("path", book_pages())
def test_page_is_self_contained_typeset_interactive_and_accessible(browser, server, path):
    visit = Visit(browser, server, path)
    page = visit.page
    try:
        assert visit.requests, "no request was recorded"
        assert not visit.blocked, f"requests left 127.0.0.1: {visit.blocked}"
        assert not visit.errors, f"console errors: {visit.errors}"

        # Math: MathJax replaced every TeX source with its own elements.
        n_math = page.locator(".math").count()
        if n_math:
            assert page.locator("mjx-container").count() >= n_math, "some math was not typeset"
        body = page.locator("article").inner_text() if page.locator("article").count() else page.inner_text("body")
        assert "$$" not in body, "raw $$ left in the text"

        # Explorers: moving a control changes what is displayed.
        explorers = page.locator(".llmx-explorer")
        for i in range(explorers.count()):
            ex = explorers.nth(i)
            ex.scroll_into_view_if_needed()
            before = ex.get_attribute("data-frame")
            shown_before = ex.locator(".llmx-output").inner_html()
            control = ex.locator("[data-param]").first
            if control.evaluate("el => el.tagName") == "SELECT":
                n = control.locator("option").count()
                current = int(control.input_value())
                control.select_option(str((current + 1) % n))
            else:
                control.focus()
                at_end = control.input_value() == control.get_attribute("max")
                page.keyboard.press("Home" if at_end else "End")
            page.wait_for_function("el => el.dataset.frame !== " + repr(str(before)), arg=ex.element_handle())
            assert ex.locator(".llmx-output").inner_html() != shown_before, f"explorer {i} did not change"
        assert not visit.errors, f"console errors after using the explorers: {visit.errors}"
        assert not visit.blocked, f"requests left 127.0.0.1: {visit.blocked}"

        violations = visit.axe()
        _record(path, "light", violations)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        visit.screenshot("light-1280")
        assert not blocking, "axe-core, light theme:\n" + _describe(blocking)
    finally:
        visit.close()


@pytest.mark.parametrize("path", book_pages())
def test_dark_theme_is_accessible_and_figures_follow_it(browser, server, path):
    visit = Visit(browser, server, path, scheme="dark")
    page = visit.page
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        # Figures: no light panel behind them; their ink is turned light.
        panels = page.evaluate("""() => Array.from(document.querySelectorAll(
              '.cell_output img, img.llmx-image')).map(img => {
                const s = getComputedStyle(img);
                return [img.currentSrc.slice(-40), s.backgroundColor, s.filter];
              }).filter(([src, bg, filter]) => bg !== 'rgba(0, 0, 0, 0)' || filter === 'none')""")
        assert not panels, f"figures that ignore the dark theme: {panels[:5]}"
        violations = visit.axe()
        _record(path, "dark", violations)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if path in CHAPTERS[:2] or path == "book/claims.html":
            visit.screenshot("dark-1280")
        assert not blocking, "axe-core, dark theme:\n" + _describe(blocking)
    finally:
        visit.close()


@pytest.mark.parametrize("path", book_pages())
def test_nothing_scrolls_sideways_on_a_phone(browser, server, path):
    visit = Visit(browser, server, path, width=390, height=844)
    page = visit.page
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('.bd-article *'))
              .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                            && !el.closest('div.math, pre, .highlight, .table-wrapper, table, .output_html, '
                                           + 'mjx-container, .llmx-scrolls'))
              .slice(0, 5).map(el => el.tagName + '.' + el.className + ': '
                               + (el.textContent || '').trim().slice(0, 50))""")
        assert width <= 391, f"the page is {width} px wide at 390 px; widest elements: {wide}"
        # Wide display equations scroll inside their box, marked with the scroll cue.
        clipped = page.evaluate("""() => Array.from(document.querySelectorAll('.bd-article div.math'))
              .filter(box => box.scrollWidth > box.clientWidth + 1)
              .filter(box => !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
                             || !box.classList.contains('llmx-scrolls')
                             || box.getAttribute('tabindex') !== '0')
              .map(box => box.textContent.trim().slice(0, 60))""")
        assert not clipped, f"wide equations without a scrolling box and cue: {clipped[:5]}"
        if path in CHAPTERS or path == "book/claims.html":
            visit.screenshot("390")
    finally:
        visit.close()


@pytest.mark.parametrize("width", [390, 900, 1280])
def test_navigation_toggles_open_the_contents(browser, server, width):
    path = CHAPTERS[1] if len(CHAPTERS) > 1 else CHAPTERS[0]
    visit = Visit(browser, server, path, width=width, height=800)
    page = visit.page
    try:
        toggle = page.locator("button.primary-toggle:visible").first
        assert toggle.count(), f"no visible navigation toggle at {width} px"
        if width < 992:
            toggle.click()
            page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
            links = page.locator("#pst-primary-sidebar-modal a.reference:visible")
            assert links.count() > 5, "the navigation drawer opened empty"
            page.keyboard.press("Escape")
            page.wait_for_function("!document.getElementById('pst-primary-sidebar-modal').open")
            contents = page.locator("button.secondary-toggle:visible").first
            assert contents.count(), f"no visible Contents toggle at {width} px"
            contents.click()
            page.wait_for_function("document.getElementById('pst-secondary-sidebar-modal').open")
            assert page.locator("#pst-secondary-sidebar-modal a:visible").count() > 2
        else:
            sidebar = page.locator("#pst-primary-sidebar")
            assert sidebar.is_visible()
            toggle.click()
            page.wait_for_timeout(400)
            assert "pst-sidebar-hidden" in (sidebar.get_attribute("class") or ""), \
                "the toggle does not hide the sidebar"
            toggle.click()
            page.wait_for_timeout(400)
            assert "pst-sidebar-hidden" not in (sidebar.get_attribute("class") or "")
        assert not visit.errors, visit.errors
    finally:
        visit.close()


@pytest.mark.parametrize("path", CHAPTERS)
def test_explorers_have_a_numbered_caption_and_speaking_sliders(browser, server, path):
    visit = Visit(browser, server, path)
    page = visit.page
    try:
        explorers = page.locator(".llmx-explorer")
        for i in range(explorers.count()):
            ex = explorers.nth(i)
            caption = ex.locator("figcaption").inner_text().strip() if ex.locator("figcaption").count() else ""
            assert re.match(r"Explorer (\d+\.)?\d+\.\s+\S", caption), f"explorer {i}: caption {caption!r}"
            for control in ex.locator("[data-param]").all():
                name = control.get_attribute("data-param")
                label = control.get_attribute("aria-label") or ""
                assert label and label != name, f"explorer {i}: control {name!r} has the bare label {label!r}"
                if control.get_attribute("type") == "range":
                    control.focus()
                    page.keyboard.press("End")
                    page.wait_for_timeout(50)
                    # The value shown next to this slider (an explorer may have several).
                    shown = control.locator("xpath=following-sibling::output[1]").inner_text().strip()
                    assert control.get_attribute("aria-valuetext") == shown, \
                        f"explorer {i}: aria-valuetext does not follow the slider"
            img = ex.locator("img.llmx-image")
            if img.count():
                natural, shown = img.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
                assert natural >= 1.9 * shown, f"explorer {i}: frame not sharp ({natural} px shown at {shown})"
    finally:
        visit.close()


def test_claims_index_links_every_claim_to_its_box_and_check(browser, server):
    visit = Visit(browser, server, "book/claims.html")
    page = visit.page
    try:
        items = page.locator("ol.llmmath-claims > li")
        assert items.count() >= 1, "the claims index is empty"
        for i in range(items.count()):
            item = items.nth(i)
            assert "Verdict:" in item.inner_text() and "(missing" not in item.inner_text()
            for link in item.locator("a").all():
                href = link.get_attribute("href")
                target = href.split("#", 1)
                assert len(target) == 2, href
                sub = visit.context.new_page()
                sub.goto(f"{server}/book/{target[0]}")
                assert sub.locator(f"[id='{target[1]}']").count() == 1, f"broken anchor {href}"
                sub.close()
    finally:
        visit.close()


def test_search_finds_a_term_from_a_chapter_and_shows_text(browser, server):
    visit = Visit(browser, server, "search.html?q=temperature")
    try:
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15000)
        hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
        assert any("00-explorers" in (h or "") for h in hrefs), hrefs
        visit.page.wait_for_timeout(1500)
        snippets = visit.page.locator("#search-results p.context").all_inner_texts()
        assert snippets, "no search snippet"
        raw = [s for s in snippets if re.search(r"\\[a-zA-Z]+|\$\$|\\\(", s)]
        assert not raw, f"search snippets with raw TeX: {raw[:3]}"
        assert not visit.blocked, visit.blocked
        assert not visit.errors, visit.errors
    finally:
        visit.close()
