"""The serving process caps glibc's malloc arenas (coach/process.py): measured on threads that contend."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from coach.process import ARENAS

# Threads calling malloc and free at once (ctypes lets go of the GIL around each call), then malloc_info's
# count of heaps: one per arena.
SCRIPT = textwrap.dedent(
    """
    import ctypes, ctypes.util, re, sys, tempfile, threading
    from coach.process import limit_malloc_arenas
    if sys.argv[1] == "limit":
        assert limit_malloc_arenas()
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    libc.fopen.restype = ctypes.c_void_p
    def churn():
        for _ in range(20000):
            libc.free(libc.malloc(1024))
    threads = [threading.Thread(target=churn) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        fp = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, ctypes.c_void_p(fp))
        libc.fclose(ctypes.c_void_p(fp))
        print(len(re.findall(r"<heap nr=", open(out.name).read())))
    """
)


def heaps(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_malloc_arenas_are_capped_for_threads_that_contend() -> None:
    assert heaps("limit") <= ARENAS
    assert heaps("free") > ARENAS  # the same threads, uncapped: the test can tell
