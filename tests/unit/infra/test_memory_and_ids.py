"""Bulk-work helpers: the paused garbage collector and the id generator's random pool."""

from __future__ import annotations

import gc
import os
import threading
import uuid

import pytest

from wushe_desktop.infra.db.base import new_id
from wushe_desktop.infra.memory import paused_gc


def test_paused_gc_restores_the_collector_also_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer pause still holds afterwards
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_ids_are_version_7_unique_and_time_ordered_across_threads() -> None:
    found: list[uuid.UUID] = []
    lock = threading.Lock()

    def make() -> None:
        ids = [new_id() for _ in range(20_000)]  # several refills of the random pool
        with lock:
            found.extend(ids)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(found)) == len(found) == 80_000
    assert {u.version for u in found} == {7}
    assert {u.variant for u in found} == {uuid.RFC_4122}
    first, later = new_id(), new_id()
    assert first.int >> 80 <= later.int >> 80  # milliseconds never go backwards


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_draws_other_random_bits() -> None:
    new_id()  # fill the pool in the parent
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, new_id().bytes)
        os._exit(0)
    os.waitpid(pid, 0)
    child = uuid.UUID(bytes=os.read(read, 16))
    parent = new_id()
    assert child.int & ((1 << 62) - 1) != parent.int & ((1 << 62) - 1)
