"""The claims index: every "what the article says, what is true" box, gathered at build time.

A chapter marks such a box with ``:class: claim`` and gives it one line
``**Verdict:** ...``. While Sphinx reads a chapter, this extension records, for
each box: the claim (the box's first sentence), the verdict, the section it
sits in, and the first code cell after it, the cell that checks it (that cell
gets an anchor ``claim-check-N``). The page ``book/claims.md`` holds the
directive ``{claims-index}``, which is replaced by the list once every chapter
has been read, so the index is never kept by hand and grows with the book.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

VERDICT = re.compile(r"^\s*Verdict\s*:\s*", re.I)


class claims_index(nodes.General, nodes.Element):
    """Placeholder replaced by the list of claims."""


class ClaimsIndexDirective(SphinxDirective):
    has_content = False

    def run(self):
        return [claims_index("")]


def _first_sentence(text: str, limit: int = 260) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def _is_code_cell(node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node.get("classes", []) and (
        node.get("nb_element") == "cell_code" or any(
            isinstance(c, nodes.container) and "cell_input" in c.get("classes", []) for c in node.children))


def _verdict(box) -> tuple[str, nodes.paragraph | None]:
    for para in box.findall(nodes.paragraph):
        # myst may start a paragraph with an empty text node
        children = [c for c in para.children if not (isinstance(c, nodes.Text) and not c.astext().strip())]
        if children and isinstance(children[0], nodes.strong) and VERDICT.match(
                children[0].astext() + " "):
            text = para.astext()
            return VERDICT.sub("", text, count=1).strip(), para
    return "", None


def collect_claims(app, doctree) -> None:
    env = app.env
    if not hasattr(env, "llmmath_claims"):
        env.llmmath_claims = []
    env.llmmath_claims = [c for c in env.llmmath_claims if c["docname"] != env.docname]
    boxes = [n for n in doctree.findall(nodes.admonition) if "claim" in n.get("classes", [])]
    if not boxes:
        return
    order = list(doctree.findall(lambda n: isinstance(n, nodes.Element)))
    position = {id(n): i for i, n in enumerate(order)}
    cells = [n for n in order if _is_code_cell(n)]
    for k, box in enumerate(boxes, start=1):
        section = box.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        title = ""
        section_id = ""
        if section is not None:
            title = section[0].astext() if section.children and isinstance(section[0], nodes.title) else ""
            section_id = section["ids"][0] if section["ids"] else ""
        paragraphs = [p for p in box.findall(nodes.paragraph)
                      if not isinstance(p.parent, nodes.title)]
        verdict, verdict_para = _verdict(box)
        body = [p for p in paragraphs if p is not verdict_para]
        claim = _first_sentence(body[0].astext()) if body else ""
        box_id = box["ids"][0] if box["ids"] else f"claim-{k}"
        if not box["ids"]:
            box["ids"].append(box_id)
        after = [c for c in cells if position[id(c)] > position[id(box)]]
        check_id = ""
        if after:
            cell = after[0]
            check_id = f"claim-check-{k}"
            cell["ids"].append(check_id)
        env.llmmath_claims.append({
            "docname": env.docname, "section": title, "section_id": section_id,
            "box_id": box_id, "check_id": check_id, "claim": claim, "verdict": verdict,
            "line": box.line or 0, "index": k,
        })


def purge_claims(app, env, docname) -> None:
    if hasattr(env, "llmmath_claims"):
        env.llmmath_claims = [c for c in env.llmmath_claims if c["docname"] != docname]


def merge_claims(app, env, docnames, other) -> None:
    if not hasattr(env, "llmmath_claims"):
        env.llmmath_claims = []
    env.llmmath_claims.extend(c for c in getattr(other, "llmmath_claims", []) if c["docname"] in docnames)


def _doc_order(env) -> dict[str, int]:
    order: list[str] = []
    stack = [env.config.root_doc]
    while stack:
        doc = stack.pop(0)
        if doc in order:
            continue
        order.append(doc)
        stack = list(env.toctree_includes.get(doc, [])) + stack
    return {d: i for i, d in enumerate(order)}


def _ref(builder, fromdoc: str, todoc: str, anchor: str, text: str) -> nodes.reference:
    uri = builder.get_relative_uri(fromdoc, todoc) + (f"#{anchor}" if anchor else "")
    ref = nodes.reference("", "", internal=True, refuri=uri)
    ref += nodes.Text(text)
    return ref


def fill_index(app, doctree, fromdocname) -> None:
    env = app.env
    claims = sorted(getattr(env, "llmmath_claims", []),
                    key=lambda c: (_doc_order(env).get(c["docname"], 10**6), c["index"]))
    for placeholder in list(doctree.findall(claims_index)):
        if not claims:
            placeholder.replace_self(nodes.paragraph(text="No chapter has a claim box yet."))
            continue
        out = nodes.enumerated_list(classes=["llmmath-claims"])
        for c in claims:
            item = nodes.list_item(classes=["llmmath-claim"])
            chapter = env.titles[c["docname"]].astext() if c["docname"] in env.titles else c["docname"]
            head = nodes.paragraph(classes=["llmmath-claim-claim"])
            head += nodes.Text(c["claim"] or "(the box has no text)")
            item += head
            verdict = nodes.paragraph(classes=["llmmath-claim-verdict"])
            verdict += nodes.strong(text="Verdict: ")
            verdict += nodes.Text(c["verdict"] or "(missing: the box needs a **Verdict:** line)")
            item += verdict
            where = nodes.paragraph(classes=["llmmath-claim-where"])
            where += _ref(app.builder, fromdocname, c["docname"], c["section_id"],
                          f"{chapter}: {c['section']}" if c["section"] else chapter)
            where += nodes.Text(" · ")
            where += _ref(app.builder, fromdocname, c["docname"], c["box_id"], "the box")
            if c["check_id"]:
                where += nodes.Text(" · ")
                where += _ref(app.builder, fromdocname, c["docname"], c["check_id"], "the cell that checks it")
            item += where
            out += item
        placeholder.replace_self(out)


def outdated(app, env, added, changed, removed):
    """Rebuild the index page whenever a chapter changes (its list comes from them)."""
    if added or changed or removed:
        return [d for d in env.found_docs if _has_index(env, d)]
    return []


def _has_index(env, docname: str) -> bool:
    try:
        source = env.doc2path(docname)
        return "claims-index" in open(source, encoding="utf-8").read()
    except OSError:
        return False


def setup(app):
    app.add_node(claims_index)
    app.add_directive("claims-index", ClaimsIndexDirective)
    app.connect("doctree-read", collect_claims)
    app.connect("env-purge-doc", purge_claims)
    app.connect("env-merge-info", merge_claims)
    app.connect("doctree-resolved", fill_index)
    app.connect("env-get-outdated", outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
