/* llmmath: small repairs to the theme, so the book works on a phone and with a screen reader.
 *
 * 1. Navigation. pydata-sphinx-theme and sphinx-book-theme each bind their sidebar
 *    handlers to the FIRST .primary-toggle / .secondary-toggle of the page, which is a
 *    hidden header icon; the visible buttons (the ☰ and "Contents" toggles) did nothing.
 *    A click on any other toggle is forwarded to that first one.
 * 2. Disclosure triangles in the navigation (<summary> without text) get a name.
 * 3. Boxes that scroll sideways (wide equations, code, tables) can be reached with the
 *    keyboard and show that they scroll (class llmx-scrolls, styled in llmmath.css).
 * 4. Search snippets show text: formulas, buttons and theme labels are left out.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function forwardToggles(selector) {
    var toggles = document.querySelectorAll(selector);
    if (toggles.length < 2) { return; }
    var first = toggles[0];
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  }

  function nameSummaries() {
    document.querySelectorAll("summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.getAttribute("aria-label")) { return; }
      var item = summary.closest("li");
      var link = item ? item.querySelector("a") : null;
      var what = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Show or hide the pages under " + what);
    });
  }

  function markScrollers() {
    var boxes = document.querySelectorAll(
      ".bd-article div.math, .bd-article .highlight pre, .bd-article .output pre, " +
      ".bd-article .table-wrapper, .bd-article table, .bd-article .cell_output .output_html");
    boxes.forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("llmx-scrolls", scrolls);
      if (scrolls) {
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
        if (box.matches("div.math") && !box.getAttribute("aria-label")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", "Wide equation: scroll sideways to read it");
        }
      }
    });
  }

  function readableSearchSnippets() {
    if (typeof Search === "undefined" || !Search.htmlToText) { return; }
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      var drop = [".headerlink", "script", "style", "button", "div.math", ".eqno",
                  ".cell_input", ".prev-next-area", ".toggle-hidden", ".llmx-explorer",
                  ".bd-sidebar-secondary", ".header-article", "nav", "mjx-container"];
      drop.forEach(function (sel) {
        doc.querySelectorAll(sel).forEach(function (el) { el.remove(); });
      });
      doc.querySelectorAll("span.math").forEach(function (el) {
        var tex = el.textContent.replace(/^\\\(|\\\)$/g, "")
          .replace(/\\(mathbf|mathrm|operatorname|text|hat|mathbb|boldsymbol)\b/g, "")
          .replace(/\\[a-zA-Z]+/g, " ").replace(/[{}^_\\]/g, "").replace(/\s+/g, " ").trim();
        el.replaceWith(doc.createTextNode(tex));
      });
      var html = "<html><body>" + doc.body.innerHTML + "</body></html>";
      return original(html, anchor).replace(/\s+/g, " ");
    };
  }

  ready(function () {
    forwardToggles(".primary-toggle");
    forwardToggles(".secondary-toggle");
    nameSummaries();
    readableSearchSnippets();
    markScrollers();
    window.addEventListener("resize", markScrollers);
    window.addEventListener("load", function () {
      if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        MathJax.startup.promise.then(markScrollers);
      }
      setTimeout(markScrollers, 800);
    });
  });
})();
