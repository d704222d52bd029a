"""Execute the book's notebooks once, in parallel, into Jupyter Book's execution cache.

The book build (``execute_notebooks: cache``) and the test suite share one
jupyter-cache under ``_build/.jupyter_cache``. A cached execution is reused only
while everything its outputs depend on is unchanged:

* the chapter's code cells (jupyter-cache's own key; editing prose re-executes nothing);
* the source of ``src/llmmath`` and the installed package versions (a fingerprint kept
  beside the cache; when it changes, every chapter is executed again).

Each chapter runs in its own worker process with its own kernel. A worker that fails
or dies costs only its chapter, which is named with its error; the others are kept.
A cell that stays silent for longer than ``--cell-timeout`` seconds is reported with
its chapter and cell index and the chapter is retried once; the whole run stops at
``--total-timeout``. A file lock keeps two builds from writing the cache at once.

    python scripts/bookcache.py                 # every chapter in _toc.yml, --jobs at a time
                                                # (default: the number of CPUs)
    python scripts/bookcache.py notebooks/x.ipynb --fresh   # execute one, bypassing the cache
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
FINGERPRINT = BUILD / ".jupyter_cache.deps.json"
LOCK = BUILD / ".jupyter_cache.lock"
# Chapters' cells take seconds (the slowest about 30 s on 2 cores); a cell silent for two
# minutes is a stall, not work. See the ipykernel pin in pyproject.toml for the stall's cause.
CELL_TIMEOUT = float(os.environ.get("LLMMATH_CELL_TIMEOUT", 120))
TOTAL_TIMEOUT = float(os.environ.get("LLMMATH_TOTAL_TIMEOUT", 1800))
RETRIES = 1


@dataclass
class Executed:
    path: Path
    notebook: nbformat.NotebookNode | None
    seconds: float
    error: str | None = None
    from_cache: bool = False
    attempts: int = 1
    slowest_cell: tuple[int, float] | None = None   # (index, seconds) of its slowest cell


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


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _rel(path: Path) -> str:
    with suppress(ValueError):
        return str(path.relative_to(ROOT))
    return str(path)


# --- what a chapter's outputs depend on, besides its code -------------------------------

def dependency_fingerprint() -> dict:
    """A digest of the library's source and of every installed distribution's version."""
    lib = hashlib.sha256()
    for path in sorted((ROOT / "src" / "llmmath").rglob("*.py")):
        lib.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    dists = sorted({f"{d.metadata['Name']}=={d.version}".lower()
                    for d in importlib.metadata.distributions() if d.metadata["Name"]})
    return {"python": sys.version.split()[0], "llmmath_source": lib.hexdigest(),
            "packages": hashlib.sha256("\n".join(dists).encode()).hexdigest()}


def _cache():
    from jupyter_cache import get_cache

    return get_cache(str(CACHE))


def _invalidate_if_dependencies_changed() -> bool:
    """Clear the cache when the library or the environment changed; True if it was cleared."""
    now = dependency_fingerprint()
    before = None
    with suppress(OSError, ValueError):
        before = json.loads(FINGERPRINT.read_text())
    if before == now:
        return False
    changed = sorted(k for k in now if not before or before.get(k) != now[k])
    if CACHE.exists():
        print(f"bookcache: {', '.join(changed)} changed since the cached executions: "
              "executing every chapter again", file=sys.stderr, flush=True)
        _cache().clear_cache()
    BUILD.mkdir(exist_ok=True)
    FINGERPRINT.write_text(json.dumps(now, indent=1))
    return True


@contextlib.contextmanager
def cache_lock(wait_s: float = TOTAL_TIMEOUT):
    """Hold an exclusive lock on the cache (two builds at once wait for each other)."""
    BUILD.mkdir(exist_ok=True)
    with open(LOCK, "w") as handle:
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    print("bookcache: another build holds the cache lock; waiting", file=sys.stderr, flush=True)
                    told = True
                if time.monotonic() - start > wait_s:
                    raise TimeoutError(f"the cache lock {LOCK} was held for over {wait_s:.0f} s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached(path: Path) -> Executed | None:
    """The cached execution of ``path`` if its code is unchanged, else None."""
    if not CACHE.exists():
        return None
    cache = _cache()
    nb = read(path)
    with suppress(KeyError):
        record = cache.match_cache_notebook(nb)
        _, merged = cache.merge_match_into_notebook(nb)
        return Executed(path, merged, record.data.get("execution_seconds", float("nan")), from_cache=True)
    return None


def _store(path: Path, nb: nbformat.NotebookNode, seconds: float) -> None:
    from jupyter_cache.base import CacheBundleIn

    cache = _cache()
    record = cache.add_nb_to_project(str(path))
    cache.cache_notebook_bundle(CacheBundleIn(nb, record.uri, data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)


# --- the worker: one chapter, one kernel, in a child process -----------------------------

# Why chapters stalled. nbclient waits for each reply with one zmq.asyncio poll for the whole
# cell timeout. That poll sleeps on the socket's edge-triggered ZMQ_FD; when the edge is
# consumed elsewhere (pyzmq#2173; the same hazard on the kernel side is ipykernel#1554), the
# wake-up never comes although the reply is already in the socket, and only the timeout's
# final zmq_poll(0) finds it. Hence a cell "taking" exactly the timeout and then succeeding
# (seen here: a 0.1 s explorer cell that took 120.0 s, with ipykernel 6.31 and pyzmq 27.3).
# Polling in short slices bounds a missed wake-up to one slice.
POLL_SLICE_S = 0.5


def _sliced_polls() -> None:
    """Make the async kernel client wait for messages in slices of ``POLL_SLICE_S``."""
    from queue import Empty

    from jupyter_client.channels import AsyncZMQSocketChannel

    async def get_msg(self, timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_S if deadline is None else deadline - time.monotonic()
            ready = await self.socket.poll(int(1000 * max(0.0, min(POLL_SLICE_S, left))))
            if ready:
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty

    AsyncZMQSocketChannel.get_msg = get_msg

def _worker(path: Path, out: Path, cell_timeout: float) -> int:
    """Execute ``path`` with nbclient; write the notebook and a status to ``out``."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    _sliced_polls()
    nb = read(path)
    current = {"index": None, "start": 0.0}
    durations: dict[int, float] = {}

    def on_cell_start(cell, cell_index):
        current["index"], current["start"] = cell_index, time.perf_counter()

    def on_cell_executed(cell, cell_index, execute_reply):
        durations[cell_index] = time.perf_counter() - current["start"]

    client = NotebookClient(nb, timeout=cell_timeout, allow_errors=False, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=on_cell_start, on_cell_executed=on_cell_executed,
                            record_timing=False)
    start = time.perf_counter()
    status: dict = {"error": None, "stalled_cell": None}
    try:
        client.execute()
    except CellTimeoutError as exc:
        status["stalled_cell"] = current["index"]
        status["error"] = (f"cell {current['index']} produced no reply for {cell_timeout:.0f} s "
                           f"(a stall, or a cell far slower than this book's cells): {exc}".strip())
    except CellExecutionError as exc:
        status["error"] = f"cell {current['index']} raised:\n{exc}"
    except Exception as exc:  # a kernel that died, a kernel that never started
        status["error"] = f"cell {current['index']}: {type(exc).__name__}: {exc}"
    status["seconds"] = time.perf_counter() - start
    status["slowest_cell"] = max(durations.items(), key=lambda kv: kv[1], default=None)
    # Explorers create live widgets while executing; the static book shows their
    # precomputed frames, so the widget state would only weigh the page down.
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, str(out))
    out.with_suffix(".json").write_text(json.dumps(status))
    return 0


def _run_chapter(path: Path, threads: int, cell_timeout: float, deadline: float) -> Executed:
    """Execute one chapter in a child process, retrying a stall once."""
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    error, seconds = "not executed", 0.0
    for attempt in range(1, RETRIES + 2):
        left = deadline - time.monotonic()
        if left <= 0:
            return Executed(path, None, 0.0, f"not started: the run's overall time limit was reached ({error})",
                            attempts=attempt)
        with tempfile.TemporaryDirectory(prefix="bookcache-") as tmp:
            out = Path(tmp) / path.name
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(path), str(out),
                   "--cell-timeout", str(cell_timeout)]
            start = time.perf_counter()
            try:
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=left)
            except subprocess.TimeoutExpired:
                return Executed(path, None, time.perf_counter() - start,
                                "killed: the run's overall time limit was reached while this chapter executed",
                                attempts=attempt)
            status_file = out.with_suffix(".json")
            if proc.returncode != 0 or not status_file.exists():
                error = (f"the worker died (exit code {proc.returncode}):\n"
                         f"{(proc.stderr or proc.stdout)[-3000:]}")
                continue  # a dead worker is worth one more try, like a stall
            status = json.loads(status_file.read_text())
            nb = read(out)
        seconds = status["seconds"]
        if status["error"] is None:
            slowest = tuple(status["slowest_cell"]) if status["slowest_cell"] else None
            return Executed(path, nb, status["seconds"], attempts=attempt, slowest_cell=slowest)
        error = status["error"]
        if status["stalled_cell"] is None:
            break  # a real error in the chapter: retrying would only repeat it
        again = "; retrying" if attempt <= RETRIES else ""
        print(f"  STALLED  {_rel(path)}: {error.splitlines()[0]}{again}", file=sys.stderr, flush=True)
    return Executed(path, None, seconds, error, attempts=attempt)


def execute(paths: list[Path], jobs: int = 2, fresh: bool = False, store: bool = True,
            cell_timeout: float = CELL_TIMEOUT, total_timeout: float = TOTAL_TIMEOUT) -> dict[Path, Executed]:
    """Execute each notebook not already in the cache (or all, if ``fresh``), ``jobs`` at a time."""
    deadline = time.monotonic() + total_timeout
    lock = cache_lock() if (store or not fresh) else contextlib.nullcontext()
    with lock:
        if not fresh:
            _invalidate_if_dependencies_changed()
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
        with futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = {pool.submit(_run_chapter, p, threads, cell_timeout, deadline): p for p in todo}
            for fut in futures.as_completed(pending):
                result = fut.result()
                results[result.path] = result
                if result.error is None and store:
                    _store(result.path, result.notebook, result.seconds)
                tries = f" ({result.attempts} attempts)" if result.attempts > 1 else ""
                cell = (f"; slowest cell {result.slowest_cell[0]} {result.slowest_cell[1]:.1f} s"
                        if result.slowest_cell else "")
                print(f"  {'executed' if result.error is None else 'FAILED  '} {_rel(result.path)} "
                      f"in {result.seconds:.1f} s{tries}{cell}", file=sys.stderr, flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="chapters executed at once (default: the number of CPUs)")
    parser.add_argument("--fresh", action="store_true", help="ignore the cache and do not store into it")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT,
                        help=f"seconds a cell may stay silent before it counts as stalled (default {CELL_TIMEOUT:.0f})")
    parser.add_argument("--total-timeout", type=float, default=TOTAL_TIMEOUT,
                        help=f"seconds for the whole run (default {TOTAL_TIMEOUT:.0f})")
    parser.add_argument("--worker", nargs=2, metavar=("NOTEBOOK", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--under-lock", nargs=argparse.REMAINDER, metavar="COMMAND",
                        help="execute nothing: run COMMAND (the book build, which reads the cache) "
                             "while holding the cache lock, so no execution writes or clears the "
                             "cache under it; exits with COMMAND's status")
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(Path(args.worker[0]), Path(args.worker[1]), args.cell_timeout)
    if args.under_lock is not None:
        command = args.under_lock
        if not command:
            parser.error("--under-lock needs a command to run, e.g. --under-lock jupyter-book build .")
        with cache_lock(wait_s=args.total_timeout):
            return subprocess.run(command).returncode
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    start = time.perf_counter()
    results = execute(paths, jobs=args.jobs, fresh=args.fresh, store=not args.fresh,
                      cell_timeout=args.cell_timeout, total_timeout=args.total_timeout)
    failed = [r for r in results.values() if r.error]
    for r in failed:
        print(f"\n=== {_rel(r.path)} failed ===\n{r.error}", file=sys.stderr)
    executed = [r for r in results.values() if not r.from_cache and r.error is None]
    slowest = max(executed, key=lambda r: r.seconds, default=None)
    print(f"{len(results)} notebook(s) ready ({sum(r.from_cache for r in results.values())} from the cache) "
          f"in {time.perf_counter() - start:.1f} s"
          + (f"; slowest {_rel(slowest.path)} {slowest.seconds:.1f} s" if slowest else ""), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
