"""scripts/bookcache.py: failures stay local and named, stalls are caught, the cache is keyed
on the library and the packages, and two builds cannot write it at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import nbformat
import pytest

import bookcache

pytestmark = pytest.mark.notebook   # these start real kernels


def _notebook(tmp_path: Path, name: str, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """Point bookcache at a cache of its own, so the book's cache is never touched."""
    build = tmp_path / "_build"
    monkeypatch.setattr(bookcache, "BUILD", build)
    monkeypatch.setattr(bookcache, "CACHE", build / ".jupyter_cache")
    monkeypatch.setattr(bookcache, "FINGERPRINT", build / ".jupyter_cache.deps.json")
    monkeypatch.setattr(bookcache, "LOCK", build / ".jupyter_cache.lock")
    return build


def test_a_failing_chapter_is_named_and_the_others_are_kept(tmp_path, private_cache):
    good = _notebook(tmp_path, "good", "x = 2 + 2", "print(x)")
    bad = _notebook(tmp_path, "bad", "y = 1", "raise ValueError('broken on purpose')")
    dead = _notebook(tmp_path, "dead", "import os; os._exit(3)")
    results = bookcache.execute([good, bad, dead], jobs=2)
    assert results[good].error is None
    assert results[good].notebook.cells[1].outputs[0]["text"] == "4\n"
    assert "cell 1" in results[bad].error and "broken on purpose" in results[bad].error
    assert results[dead].error and "cell 0" in results[dead].error
    # The good chapter was stored and comes back from the cache; the failures were not.
    again = bookcache.execute([good, bad], jobs=1)
    assert again[good].from_cache and not again[bad].from_cache


def test_a_stalled_cell_is_named_retried_and_failed_quickly(tmp_path, private_cache):
    slow = _notebook(tmp_path, "slow", "x = 1", "import time; time.sleep(30)")
    start = time.monotonic()
    result = bookcache.execute([slow], jobs=1, cell_timeout=2)[slow]
    assert time.monotonic() - start < 25            # two 2-second timeouts, not 30 s
    assert result.attempts == 2 and "cell 1" in result.error and "2 s" in result.error


def test_the_overall_time_limit_stops_the_run(tmp_path, private_cache):
    slow = _notebook(tmp_path, "slow", "import time; time.sleep(30)")
    start = time.monotonic()
    result = bookcache.execute([slow], jobs=1, cell_timeout=60, total_timeout=3)[slow]
    assert time.monotonic() - start < 20
    assert "overall time limit" in result.error


def test_a_change_to_the_library_or_the_packages_empties_the_cache(tmp_path, private_cache, monkeypatch):
    nb = _notebook(tmp_path, "nb", "z = 3")
    assert bookcache.execute([nb], jobs=1)[nb].from_cache is False
    assert bookcache.execute([nb], jobs=1)[nb].from_cache is True       # unchanged: reused
    real = bookcache.dependency_fingerprint()
    monkeypatch.setattr(bookcache, "dependency_fingerprint", lambda: {**real, "llmmath_source": "edited"})
    assert bookcache.execute([nb], jobs=1)[nb].from_cache is False      # library edited
    assert bookcache.execute([nb], jobs=1)[nb].from_cache is True
    monkeypatch.setattr(bookcache, "dependency_fingerprint", lambda: {**real, "packages": "upgraded"})
    assert bookcache.execute([nb], jobs=1)[nb].from_cache is False      # a package changed


def test_the_fingerprint_covers_the_library_source(tmp_path, monkeypatch):
    src = tmp_path / "src" / "llmmath"
    src.mkdir(parents=True)
    (src / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(bookcache, "ROOT", tmp_path)
    before = bookcache.dependency_fingerprint()
    (src / "a.py").write_text("x = 2\n")
    after = bookcache.dependency_fingerprint()
    assert before["llmmath_source"] != after["llmmath_source"]
    assert before["packages"] == after["packages"]


def _hold_lock_in_a_thread() -> tuple[threading.Thread, threading.Event]:
    """Another build: a thread that takes the cache lock and keeps it until released."""
    holding, release = threading.Event(), threading.Event()

    def holder():
        with bookcache.cache_lock():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(10)
    return thread, release


def test_two_builds_do_not_hold_the_cache_at_once(private_cache):
    thread, release = _hold_lock_in_a_thread()
    with pytest.raises(TimeoutError, match="lock"):
        with bookcache.cache_lock(wait_s=1):
            pass
    release.set()
    thread.join()
    with bookcache.cache_lock(wait_s=5):   # free again
        pass


def test_the_book_build_reads_the_cache_under_the_lock(private_cache, tmp_path):
    """`--under-lock CMD` runs CMD holding the lock (so no execution clears the cache
    under Sphinx), passes its exit status on, and waits for a holder to finish."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import fcntl, sys\n"
        f"handle = open({str(private_cache / '.jupyter_cache.lock')!r}, 'w')\n"
        "try:\n"
        "    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "except BlockingIOError:\n"
        "    sys.exit(7)   # the lock is held: by our parent, as it should be\n"
        "sys.exit(0)\n")
    import sys as _sys
    assert bookcache.main(["--under-lock", _sys.executable, str(probe)]) == 7
    assert bookcache.main(["--under-lock", _sys.executable, "-c", "raise SystemExit(3)"]) == 3
    with pytest.raises(SystemExit):
        bookcache.main(["--under-lock"])
    thread, release = _hold_lock_in_a_thread()
    threading.Timer(1.0, release.set).start()
    start = time.monotonic()
    assert bookcache.main(["--under-lock", _sys.executable, "-c", "pass"]) == 0
    assert time.monotonic() - start >= 0.9   # it waited for the holder
    thread.join()
