"""Execute the book's notebooks once, in parallel, into Jupyter Book's execution cache.

The book build (``execute_notebooks: cache``) and the test suite share one
jupyter-cache under ``_build/.jupyter_cache``: a notebook whose code cells have
not changed is never executed again, and editing prose re-executes nothing.

    python scripts/bookcache.py                 # every chapter in _toc.yml, 2 at a time
    python scripts/bookcache.py notebooks/x.ipynb --fresh   # execute one, bypassing the cache
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import multiprocessing
import os
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
TIMEOUT = 600


@dataclass
class Executed:
    path: Path
    notebook: nbformat.NotebookNode | None
    seconds: float
    error: str | None = None
    from_cache: bool = False


def toc_notebooks() -> list[Path]:
    """The .ipynb files named in _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    found: list[Path] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                path = ROOT / (node["file"] + ("" if node["file"].endswith(".ipynb") else ".ipynb"))
                if path.exists():
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def _cache():
    from jupyter_cache import get_cache

    return get_cache(str(CACHE))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def cached(path: Path) -> Executed | None:
    """The cached execution of ``path`` if its code is unchanged, else None."""
    cache = _cache()
    nb = read(path)
    with suppress(KeyError):
        record = cache.match_cache_notebook(nb)
        _, merged = cache.merge_match_into_notebook(nb)
        return Executed(path, merged, record.data.get("execution_seconds", float("nan")), from_cache=True)
    return None


def _execute_one(path_str: str, threads: int) -> tuple[str, dict | None, float, str | None]:
    """Worker: execute one notebook in its own directory (runs in a child process)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    from jupyter_cache.executors.utils import single_nb_execution

    path = Path(path_str)
    nb = read(path)
    result = single_nb_execution(nb, cwd=str(path.parent), timeout=TIMEOUT, allow_errors=False,
                                 meta_override=True)
    if result.err is not None:
        return path_str, None, result.time, result.exc_string or repr(result.err)
    # Explorers create live widgets while executing; the static book shows their
    # precomputed frames, so the widget state would only weigh the page down.
    nb.metadata.pop("widgets", None)
    return path_str, nb, result.time, None


def execute(paths: list[Path], jobs: int = 2, fresh: bool = False, store: bool = True) -> dict[Path, Executed]:
    """Execute each notebook not already in the cache (or all, if ``fresh``), ``jobs`` at a time."""
    results: dict[Path, Executed] = {}
    todo = []
    for path in paths:
        hit = None if fresh else cached(path)
        if hit is not None:
            results[path] = hit
        else:
            todo.append(path)
    if not todo:
        return results
    jobs = max(1, min(jobs, len(todo)))
    threads = max(1, (os.cpu_count() or 1) // jobs)
    ctx = multiprocessing.get_context("spawn")
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        pending = [pool.submit(_execute_one, str(p), threads) for p in todo]
        for fut in futures.as_completed(pending):
            path_str, nb, seconds, error = fut.result()
            path = Path(path_str)
            results[path] = Executed(path, nb, seconds, error)
            if error is None and store:
                _store(path, nb, seconds)
            print(f"  {'executed' if error is None else 'FAILED  '} {path.relative_to(ROOT)} "
                  f"in {seconds:.1f} s", file=sys.stderr, flush=True)
    return results


def _store(path: Path, nb: nbformat.NotebookNode, seconds: float) -> None:
    from jupyter_cache.base import CacheBundleIn

    cache = _cache()
    record = cache.add_nb_to_project(str(path))
    cache.cache_notebook_bundle(CacheBundleIn(nb, record.uri, data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--fresh", action="store_true", help="ignore the cache and do not store into it")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    start = time.perf_counter()
    results = execute(paths, jobs=args.jobs, fresh=args.fresh, store=not args.fresh)
    failed = [r for r in results.values() if r.error]
    for r in failed:
        print(f"\n=== {r.path.relative_to(ROOT)} failed ===\n{r.error}", file=sys.stderr)
    print(f"{len(results)} notebook(s) ready ({sum(r.from_cache for r in results.values())} from the cache) "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
