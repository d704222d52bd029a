"""The built book in a real browser: Debian's Chromium driven by Playwright.

Per page: every request stays on 127.0.0.1, the console shows no error, the
math is typeset, and every explorer responds to its controls. A screenshot of
each page lands in _build/screenshots/. Where no browser can be had these tests
skip with the reason, except under CI (CI=true), where they must run.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import threading

import pytest

from conftest import IN_CI, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SCREENSHOTS = ROOT / "_build" / "screenshots"


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"browser tests must run under CI, but {reason}")
        pytest.skip(reason)


def book_pages() -> list[str]:
    """Pages of the book (relative URLs), from the table of contents' sources."""
    pages = ["index.html", "book/intro.html", "book/how-to-read.html", "book/notation.html",
             "book/glossary.html", "book/bibliography.html", "book/api/index.html"]
    pages += [f"book/api/{p.stem}.html" for p in sorted((ROOT / "book" / "api").glob("*.md")) if p.stem != "index"]
    pages += [f"notebooks/{p.stem}.html" for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_book):
    if built_book["returncode"] != 0:
        pytest.fail("the book did not build; see test_book.py")
    handler = functools.partial(_QuietHandler, directory=str(built_book["html"]))
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


class Visit:
    """One page load with every request and console message recorded."""

    def __init__(self, browser, base: str, path: str):
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.base = base
        self.page.goto(f"{base}/{path}", wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.mark.parametrize("path", book_pages())
def test_page_is_self_contained_typeset_and_interactive(browser, server, path):
    visit = Visit(browser, server, path)
    page = visit.page
    try:
        assert visit.requests, "no request was recorded"
        assert not visit.blocked, f"requests left 127.0.0.1: {visit.blocked}"
        assert not visit.errors, f"console errors: {visit.errors}"

        # Math: MathJax replaced every TeX source with its own elements.
        n_math = page.locator(".math").count()
        if n_math:
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
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

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "__").replace(".html", ".png"))),
                        full_page=True)
    finally:
        visit.close()


def test_search_finds_a_term_from_a_chapter(browser, server):
    visit = Visit(browser, server, "search.html?q=temperature")
    try:
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15000)
        hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
        assert any("00-explorers" in (h or "") for h in hrefs), hrefs
        assert not visit.blocked, visit.blocked
        assert not visit.errors, visit.errors
    finally:
        visit.close()
