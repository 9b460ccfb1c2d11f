"""Shared helpers of the case and service-record tests: staff accounts and residents."""

from __future__ import annotations

import uuid
from datetime import date

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.domain.pinyin import pinyin_keys
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Resident, Station


def make_user(db: Database, station: Station, role: Role, name: str) -> Actor:
    """A real account (so worker references resolve) and its actor."""
    with db.transaction() as s:
        user = User(
            station_id=station.id,
            username=name,
            display_name=name,
            role=role.value,
            password_hash="x",
        )
        s.add(user)
        s.flush()
        uid = user.id
    actor = make_actor(station, role, name)
    return Actor(uid, actor.username, actor.display_name, role, station.id, "test-pc")


def make_resident(
    db: Database, places: Places, name: str, birth: date, seq: int = 123
) -> uuid.UUID:
    keys = pinyin_keys(name)
    with db.transaction() as s:
        r = Resident(
            station_id=places.station_id,
            name=name,
            birth_date=birth,
            id_number=make_id(birth, seq),
            community_id=places.qinghe,
            py_initials=keys.initials,
            py_full=keys.full,
        )
        s.add(r)
        s.flush()
        return r.id
