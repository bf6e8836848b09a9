"""Settings of the serving process itself, made before it starts its threads. Imports nothing from coach.

glibc gives each thread that meets contention a malloc arena of its own (up to eight per core) and keeps
what each arena ever held. A Streamlit server runs every session's script on its own thread, so twenty
sessions scoring at once left about 100 MB more resident than two arenas do, for no gain in speed.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # from glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process (as MALLOC_ARENA_MAX does); False where that is not glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # musl and other C libraries have no mallopt
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))
