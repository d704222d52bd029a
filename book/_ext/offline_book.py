"""Keep the built book free of scripts that reach for the network.

Jupyter Book 1 always loads sphinx-thebe, which registers an inline script
declaring a CDN address (THEBE_JS_URL) and a loader script. This book never
launches Thebe (a live kernel cannot exist offline), so both are dropped;
this also ends the console error "Identifier 'THEBE_JS_URL' has already been
declared" that a second copy of the inline script caused.
"""

from __future__ import annotations


def _is_thebe(filename, attributes) -> bool:
    body = (attributes or {}).get("body", "") or ""
    return (filename or "").endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _drop_thebe_scripts(app, env, docnames) -> None:
    app.registry.js_files = [(f, a) for f, a in app.registry.js_files if not _is_thebe(f, a)]
    builder_files = getattr(app.builder, "_js_files", None)
    if builder_files is not None:
        builder_files[:] = [js for js in builder_files
                            if not _is_thebe(getattr(js, "filename", str(js)), getattr(js, "attributes", {}))]


def _fix_page_markup(app, pagename, templatename, context, doctree) -> None:
    """Repair markup that fails accessibility checks, in the page body.

    docutils marks a bibliography ``<div role="list">`` whose children are
    links and entries that are not list items (axe-core: aria-required-children,
    critical); the list role adds nothing for a reader, so it goes.
    """
    body = context.get("body")
    if body:
        context["body"] = body.replace('<div role="list" class="citation-list">',
                                       '<div class="citation-list">')


def setup(app):
    app.setup_extension("claims_index")
    app.connect("html-page-context", _fix_page_markup)
    # After sphinx-thebe's own env-before-read-docs handler (default priority 500).
    app.connect("env-before-read-docs", _drop_thebe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
