"""Sign-in, lockout, user management and their audit entries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from tests.conftest import make_actor
from wushe_desktop.accounts import passwords
from wushe_desktop.accounts import service as accounts
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import (
    AuthError,
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from wushe_desktop.models import Station

PW = "abc12345"
T0 = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cheap_hashing() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def _add_user(
    db: Database,
    actor: Actor,
    username: str,
    role: Role = Role.SOCIAL_WORKER,
    password: str = PW,
) -> accounts.UserRow:
    with db.transaction() as s:
        return accounts.create_user(
            s, actor, username=username, display_name=username, role=role, password=password
        )


def _user(db: Database, username: str) -> User:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(user)
        return user


def _audit(db: Database, action: str | None = None) -> list[AuditEntry]:
    with db.reader() as s:
        stmt = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return list(s.scalars(stmt))


def _other_station(db: Database) -> Station:
    with db.transaction() as s:
        st = Station(
            name="淮海街道社工站", township="淮海街道", district="清江浦区", code="320812002"
        )
        s.add(st)
    return st


def _fail(db: Database, username: str, times: int, now: datetime = T0) -> str:
    message = ""
    for _ in range(times):
        with pytest.raises(AuthError) as info:
            accounts.sign_in(db, username, "wrong-pass1", now=now)
        message = str(info.value)
    return message


# --- sign-in ------------------------------------------------------------------------------


def test_sign_in_returns_actor_and_is_audited(
    db: Database, station: Station, director: Actor
) -> None:
    row = _add_user(db, director, "wang", Role.SOCIAL_WORKER)
    actor = accounts.sign_in(db, " Wang ", PW, host="pc-01", now=T0)
    assert (actor.user_id, actor.role, actor.station_id) == (row.id, Role.SOCIAL_WORKER, station.id)
    assert actor.host == "pc-01"
    user = _user(db, "wang")
    assert user.last_login_at == T0
    assert user.version == row.version  # sign-in bookkeeping is not an edit
    [entry] = _audit(db, "登录")
    assert (entry.username, entry.host, entry.station_id) == ("wang", "pc-01", station.id)
    assert entry.record_id == str(row.id)


def test_unknown_user_and_wrong_password_look_the_same(
    db: Database, station: Station, director: Actor
) -> None:
    _add_user(db, director, "wang")
    with pytest.raises(AuthError) as unknown:
        accounts.sign_in(db, "nobody", PW)
    with pytest.raises(AuthError) as wrong:
        accounts.sign_in(db, "wang", "wrong-pass1")
    assert str(unknown.value) == str(wrong.value) == "用户名或密码错误。"


def test_failed_attempts_are_persisted(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    _fail(db, "wang", 2)
    with pytest.raises(AuthError):
        accounts.sign_in(db, "nobody", PW)
    assert _user(db, "wang").failed_attempts == 2
    failed = _audit(db, "登录失败")
    assert [e.username for e in failed] == ["wang", "wang", "nobody"]
    assert all(PW not in e.detail and "wrong-pass1" not in e.detail for e in failed)


def test_sign_in_inside_failing_caller_does_not_lose_the_failure(
    db: Database, station: Station, director: Actor
) -> None:
    """The GUI may call sign_in and let the AuthError escape its own code: still recorded."""
    _add_user(db, director, "wang")
    _fail(db, "wang", 1)
    with db.reader() as s:
        assert s.scalar(select(User.failed_attempts).where(User.username == "wang")) == 1


def test_five_failures_lock_the_account(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    assert _fail(db, "wang", accounts.MAX_FAILED - 1) == "用户名或密码错误。"
    message = _fail(db, "wang", 1)
    until = T0 + timedelta(minutes=accounts.LOCK_MINUTES)
    assert message == f"账户已锁定，请于 {until.astimezone():%H:%M} 后重试，或请站长解锁。"
    assert _user(db, "wang").locked_until == until
    [locked] = _audit(db, "账户锁定")
    assert locked.username == "wang" and locked.station_id == station.id
    # While locked even the right password is refused, and the attempt is logged.
    with pytest.raises(AuthError, match="账户已锁定"):
        accounts.sign_in(db, "wang", PW, now=T0 + timedelta(minutes=5))
    assert len(_audit(db, "登录失败")) == accounts.MAX_FAILED + 1


def test_lock_expires(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    _fail(db, "wang", accounts.MAX_FAILED)
    later = T0 + timedelta(minutes=accounts.LOCK_MINUTES, seconds=1)
    actor = accounts.sign_in(db, "wang", PW, now=later)
    assert actor.username == "wang"
    user = _user(db, "wang")
    assert user.locked_until is None and user.failed_attempts == 0


def test_success_resets_the_counter(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    _fail(db, "wang", accounts.MAX_FAILED - 1)
    accounts.sign_in(db, "wang", PW, now=T0)
    assert _fail(db, "wang", accounts.MAX_FAILED - 1) == "用户名或密码错误。"
    assert _user(db, "wang").locked_until is None


def test_disabled_account(db: Database, station: Station, director: Actor) -> None:
    row = _add_user(db, director, "wang")
    with db.transaction() as s:
        accounts.update_user(s, director, row.id, active=False, expected_version=row.version)
    with pytest.raises(AuthError) as disabled:
        accounts.sign_in(db, "wang", PW)
    assert str(disabled.value) == "账户已停用，请联系站长。"
    with pytest.raises(AuthError) as wrong:  # no hint without the right password
        accounts.sign_in(db, "wang", "wrong-pass1")
    assert str(wrong.value) == "用户名或密码错误。"


def test_rehash_on_parameter_change(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    old_hash = _user(db, "wang").password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    passwords.set_hasher(stronger)
    accounts.sign_in(db, "wang", PW)
    new_hash = _user(db, "wang").password_hash
    assert new_hash != old_hash
    assert extract_parameters(new_hash).time_cost == 2
    assert not passwords.needs_rehash(new_hash)
    accounts.sign_in(db, "wang", PW)  # the new hash verifies
    assert _user(db, "wang").password_hash == new_hash  # and is not re-hashed again


def test_verify_actor_password_counts_failures(
    db: Database, station: Station, director: Actor
) -> None:
    _add_user(db, director, "wang")
    actor = accounts.sign_in(db, "wang", PW, now=T0)
    with db.transaction() as s:
        assert accounts.verify_actor_password(s, actor, PW, now=T0)
        assert accounts.account_block_message(s, actor, now=T0) is None
    for _ in range(accounts.MAX_FAILED):
        with db.transaction() as s:
            assert not accounts.verify_actor_password(s, actor, "wrong-pass1", now=T0)
    with db.transaction() as s:
        assert not accounts.verify_actor_password(s, actor, PW, now=T0)
        message = accounts.account_block_message(s, actor, now=T0)
    assert message is not None and message.startswith("账户已锁定")
    assert len(_audit(db, "账户锁定")) == 1


# --- user management ----------------------------------------------------------------------


def test_create_user_is_audited_without_secrets(
    db: Database, station: Station, director: Actor
) -> None:
    row = _add_user(db, director, "wang", Role.COORDINATOR)
    assert (row.role, row.station_id, row.active, row.version) == (
        Role.COORDINATOR,
        station.id,
        True,
        1,
    )
    [entry] = _audit(db, "新增")
    assert (entry.record_type, entry.record_id, entry.username) == (
        "user",
        str(row.id),
        "zhanzhang",
    )
    changes = json.loads(entry.changes)
    assert changes["username"] == [None, "wang"]
    assert changes["role"] == [None, "协调员"]
    text = entry.changes + entry.detail
    assert PW not in text and "argon2" not in text and "password" not in text


def test_duplicate_username_is_refused(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "wang")
    with pytest.raises(ConflictError, match="用户名“WANG”已被使用"):
        _add_user(db, director, "WANG")


def test_weak_password_is_refused(db: Database, station: Station, director: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        _add_user(db, director, "wang", password="12345678")
    assert info.value.field == "password"
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        _add_user(db, director, "wang1234", password="wang1234")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_only_directors_manage_users(
    db: Database, station: Station, director: Actor, role: Role
) -> None:
    target = _add_user(db, director, "wang")
    actor = make_actor(station, role, "someone")
    with db.transaction() as s:
        with pytest.raises(PermissionDenied):
            accounts.create_user(
                s, actor, username="li", display_name="李", role=Role.SOCIAL_WORKER, password=PW
            )
        with pytest.raises(PermissionDenied):
            accounts.update_user(s, actor, target.id, display_name="x", expected_version=1)
        with pytest.raises(PermissionDenied):
            accounts.unlock_user(s, actor, target.id)
        with pytest.raises(PermissionDenied):
            accounts.reset_password(s, actor, target.id, "newpass123")
        with pytest.raises(PermissionDenied):
            accounts.list_users(s, actor)


def test_director_limits(db: Database, station: Station, director: Actor) -> None:
    other = _other_station(db)
    with db.transaction() as s:
        with pytest.raises(PermissionDenied, match="区级管理员"):
            accounts.create_user(
                s, director, username="qu", display_name="区", role=Role.DISTRICT_ADMIN, password=PW
            )
        with pytest.raises(PermissionDenied, match="本站点"):
            accounts.create_user(
                s,
                director,
                username="li",
                display_name="李",
                role=Role.SOCIAL_WORKER,
                password=PW,
                station_id=other.id,
            )
    other_user = _add_user(db, make_actor(other, Role.DIRECTOR, "boss2"), "zhao")
    with db.transaction() as s:
        with pytest.raises(PermissionDenied):
            accounts.unlock_user(s, director, other_user.id)
        with pytest.raises(PermissionDenied):
            accounts.reset_password(s, director, other_user.id, "newpass123")
        with pytest.raises(PermissionDenied):
            accounts.update_user(s, director, other_user.id, active=False, expected_version=1)
        assert [u.username for u in accounts.list_users(s, director)] == []


def test_district_admin_manages_every_station(
    db: Database, station: Station, director: Actor
) -> None:
    district = make_actor(None, Role.DISTRICT_ADMIN, "quji")
    other = _other_station(db)
    with db.transaction() as s:
        admin = accounts.create_user(
            s, district, username="qu2", display_name="区二", role=Role.DISTRICT_ADMIN, password=PW
        )
        worker = accounts.create_user(
            s,
            district,
            username="zhao",
            display_name="赵",
            role=Role.SOCIAL_WORKER,
            password=PW,
            station_id=other.id,
        )
        with pytest.raises(ValidationError, match="所属的站点"):
            accounts.create_user(
                s, district, username="x1", display_name="x", role=Role.SUPERVISOR, password=PW
            )
    _add_user(db, director, "wang")
    assert admin.station_id is None and worker.station_id == other.id
    with db.transaction() as s:
        assert {u.username for u in accounts.list_users(s, district)} == {"qu2", "zhao", "wang"}
        assert [u.username for u in accounts.list_users(s, director)] == ["wang"]


def test_unlock_by_director(db: Database, station: Station, director: Actor) -> None:
    row = _add_user(db, director, "wang")
    _fail(db, "wang", accounts.MAX_FAILED)
    with db.transaction() as s:
        accounts.unlock_user(s, director, row.id)
    assert accounts.sign_in(db, "wang", PW, now=T0).username == "wang"
    [entry] = _audit(db, "解锁")
    assert entry.record_id == str(row.id) and entry.username == "zhanzhang"


def test_reset_password_unlocks_and_forces_change(
    db: Database, station: Station, director: Actor
) -> None:
    row = _add_user(db, director, "wang")
    _fail(db, "wang", accounts.MAX_FAILED)
    with db.transaction() as s:
        accounts.reset_password(s, director, row.id, "reset2024")
    with pytest.raises(AuthError):
        accounts.sign_in(db, "wang", PW, now=T0)
    actor = accounts.sign_in(db, "wang", "reset2024", now=T0)
    with db.transaction() as s:
        assert accounts.needs_password_change(s, actor)
        with pytest.raises(AuthError, match="原密码不正确"):
            accounts.change_own_password(s, actor, "wrong-pass1", "mine2024x")
        with pytest.raises(ValidationError, match="不能与原密码相同"):
            accounts.change_own_password(s, actor, "reset2024", "reset2024")
        accounts.change_own_password(s, actor, "reset2024", "mine2024x")
    with db.transaction() as s:
        assert not accounts.needs_password_change(s, actor)
    accounts.sign_in(db, "wang", "mine2024x", now=T0)
    [reset] = _audit(db, "重置密码")
    assert "reset2024" not in reset.detail + reset.changes
    own = [e for e in _audit(db, "修改") if e.detail == "修改本人密码"]
    assert len(own) == 1 and "mine2024x" not in own[0].changes


def test_update_user_version_conflict(db: Database, station: Station, director: Actor) -> None:
    row = _add_user(db, director, "wang")
    with db.transaction() as s:
        updated = accounts.update_user(
            s, director, row.id, display_name="王小明", role=Role.COORDINATOR, expected_version=1
        )
    assert (updated.display_name, updated.role, updated.version) == ("王小明", Role.COORDINATOR, 2)
    with db.transaction() as s, pytest.raises(ConflictError, match="已被其他人修改"):
        accounts.update_user(s, director, row.id, display_name="王", expected_version=1)
    [entry] = _audit(db, "修改")
    assert json.loads(entry.changes) == {
        "display_name": ["wang", "王小明"],
        "role": ["社工", "协调员"],
    }


def test_last_active_director_is_kept(db: Database, station: Station, director: Actor) -> None:
    boss = _add_user(db, director, "boss", Role.DIRECTOR)
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="至少需要保留一名启用的站长账户"):
            accounts.update_user(s, director, boss.id, active=False, expected_version=1)
        with pytest.raises(ValidationError, match="至少需要保留一名启用的站长账户"):
            accounts.update_user(s, director, boss.id, role=Role.SUPERVISOR, expected_version=1)
    second = _add_user(db, director, "boss2", Role.DIRECTOR)
    with db.transaction() as s:
        accounts.update_user(s, director, boss.id, active=False, expected_version=1)
        with pytest.raises(ValidationError, match="至少需要保留一名启用的站长账户"):
            accounts.update_user(
                s, director, second.id, role=Role.SOCIAL_WORKER, expected_version=1
            )


def test_director_cannot_disable_self(db: Database, station: Station, director: Actor) -> None:
    _add_user(db, director, "boss", Role.DIRECTOR)
    boss2 = _add_user(db, director, "boss2", Role.DIRECTOR)
    me = accounts.sign_in(db, "boss2", PW)
    with db.transaction() as s, pytest.raises(ValidationError, match="不能停用自己"):
        accounts.update_user(s, me, boss2.id, active=False, expected_version=boss2.version)
