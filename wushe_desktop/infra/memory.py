"""Pausing Python's cyclic garbage collector around bulk work.

A bulk import allocates hundreds of thousands of small containers (row dicts, tuples,
dataclasses) that live until it ends. Each allocation burst triggers a collection, and the
older generations' collections walk every long-lived object of the process (pypinyin's
dictionaries alone hold ~90,000 entries): about a tenth of a 10,000-row import. Nothing the
work creates is garbage before it finishes, so the collector is paused for its duration and
resumes afterwards (any cycles are collected then, in the normal way).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable automatic garbage collection inside the block (nesting-safe)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
