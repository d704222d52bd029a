"""Build a private preview of one chapter, with warnings as errors, without touching _build/.

    python scripts/preview.py notebooks/02-matrices.ipynb    # -> /tmp/llmmath-preview-02-matrices/_build/html

The preview book holds the chapter, the reference pages and the bibliography, so
citations and cross-references resolve as they will in the full book. Authors of
chapters use it to check MyST syntax while others build the main book.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main(chapter: str) -> int:
    chapter_path = (ROOT / chapter).resolve()
    stem = chapter_path.stem
    out = Path("/tmp") / f"llmmath-preview-{stem}"
    out.mkdir(exist_ok=True)
    for name in ("book", "src"):
        link = out / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    (out / "notebooks").mkdir(exist_ok=True)
    for nb in {chapter_path, ROOT / "notebooks" / "00-explorers.ipynb"}:
        shutil.copy(nb, out / "notebooks" / nb.name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(out / "_build" / ".jupyter_cache")
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    api = next(c for p in toc["parts"] for c in p["chapters"] if c["file"] == "book/api/index")
    toc["parts"] = [
        {"caption": "Chapters", "numbered": True,
         "chapters": [{"file": "notebooks/00-explorers"}, {"file": f"notebooks/{stem}"}]},
        {"caption": "Reference", "chapters": [api, {"file": "book/bibliography"}, {"file": "book/glossary"}]},
    ]
    (out / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    cmd = [str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", str(out), "-W", "-n", "--keep-going"]
    result = subprocess.run(cmd, cwd=out)
    print(f"\npreview: {out / '_build' / 'html' / 'notebooks' / (stem + '.html')}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
