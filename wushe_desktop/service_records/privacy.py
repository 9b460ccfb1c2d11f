"""Whose eyes a record's content is for.

A record produced by a case (``source_type == "case"``) carries case content, which only
the case's worker, the director and the supervisor may read (issue 4, privacy). The rule
lives with the source's package; this module names it by dotted path so the service-record
list does not import the case package (no cycle) and never forgets to ask.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor

HIDDEN_TEXT = "（个案内容仅负责社工、站长和督导可见）"

#: source_type → "module:function"; ``readable(session, actor, ids) -> set of readable ids``.
READ_GUARDS: dict[str, str] = {"case": "wushe_desktop.cases.access:readable_case_ids"}
#: source_type → "module:function"; ``require(session, actor, source_id)`` raises
#: PermissionDenied when the actor may not add or change records of that source.
WRITE_GUARDS: dict[str, str] = {"case": "wushe_desktop.cases.access:require_case_record_write"}


def _load(path: str) -> Callable[..., object]:
    module, _, name = path.partition(":")
    fn: Callable[..., object] = getattr(importlib.import_module(module), name)
    return fn


def hidden_sources(
    session: Session, actor: Actor, sources: Iterable[tuple[str, uuid.UUID | None]]
) -> set[uuid.UUID]:
    """The source ids among ``sources`` whose records' content the actor may not read."""
    by_type: dict[str, set[uuid.UUID]] = {}
    for source_type, source_id in sources:
        if source_id is not None and source_type in READ_GUARDS:
            by_type.setdefault(source_type, set()).add(source_id)
    hidden: set[uuid.UUID] = set()
    for source_type, ids in by_type.items():
        readable = _load(READ_GUARDS[source_type])(session, actor, ids)
        assert isinstance(readable, set)
        hidden |= ids - readable
    return hidden


def require_source_write(
    session: Session, actor: Actor, source_type: str, source_id: uuid.UUID | None
) -> None:
    """Refuse adding or changing a record of a source the actor may not write."""
    if source_id is not None and source_type in WRITE_GUARDS:
        _load(WRITE_GUARDS[source_type])(session, actor, source_id)
