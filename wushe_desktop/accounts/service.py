"""Sign-in, lockout and user management (issue 2 "Accounts, roles, audit").

The lockout counter belongs to the account, not the computer (OWASP Authentication Cheat
Sheet): after ``MAX_FAILED`` wrong passwords in a row the account is locked for
``LOCK_MINUTES``; a director or district administrator can unlock it earlier. Unknown user
names and wrong passwords get the same message, so nobody can probe which names exist.

``sign_in`` is the one function that owns its transactions (it takes the ``Database``): a
failed attempt must be written even though the caller then sees an error. Sign-in
bookkeeping (failure counter, lock, last sign-in, re-hash) does not bump the record's
version, so a director editing a user is not told "changed by someone else" just because
that user signed in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import (
    AuthError,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from wushe_desktop.stations.models import Station

MAX_FAILED = 5
LOCK_MINUTES = 15

WRONG_CREDENTIALS = "用户名或密码错误。"
ACCOUNT_DISABLED = "账户已停用，请联系站长。"
LAST_DIRECTOR = "至少需要保留一名启用的站长账户。"
USER_CHANGED = "该用户已被其他人修改，请刷新后重试。"
RECORD_TYPE = "user"

_NAME_MAX = 50


@dataclass(frozen=True)
class UserRow:
    """A user as lists and forms see it (never the password hash)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    station_id: uuid.UUID | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int


def _row(user: User) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        station_id=user.station_id,
        active=user.active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def lock_message(locked_until: datetime) -> str:
    """The message for a locked account, with the unlock time in the computer's local time."""
    return f"账户已锁定，请于 {locked_until.astimezone():%H:%M} 后重试，或请站长解锁。"


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _actor_for(user: User, host: str | None) -> Actor:
    fields: dict[str, Any] = {
        "user_id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": Role(user.role),
        "station_id": user.station_id,
    }
    if host:
        fields["host"] = host
    return Actor(**fields)


def _log(
    session: Session,
    actor: Actor,
    action: AuditAction,
    user: User,
    *,
    detail: str = "",
    changes: audit.Changes | None = None,
) -> None:
    """One audit entry about ``user``, filed under the user's station."""
    audit.record(
        session,
        actor,
        action,
        record_type=RECORD_TYPE,
        record_id=user.id,
        label=user.username,
        changes=changes,
        detail=detail,
        station_id=user.station_id,
    )


def _find_by_username(session: Session, username: str) -> User | None:
    name = username.strip()
    if not name:
        return None
    stmt = select(User).where(func.lower(User.username) == name.lower())
    return session.scalars(stmt).first()


_dummy: tuple[object, str] | None = None


def _burn_verify(password: str) -> None:
    """Spend the time of a real check for an unknown user name (no timing side channel)."""
    global _dummy  # noqa: PLW0603 - a cache per hasher
    hasher = passwords.current_hasher()
    if _dummy is None or _dummy[0] is not hasher:
        _dummy = (hasher, passwords.hash_password("not-a-real-password-0"))
    passwords.verify_password(_dummy[1], password)


def _bookkeep(session: Session, user: User, **values: object) -> None:
    """Update sign-in bookkeeping columns without bumping the user's version."""
    session.execute(
        update(User).where(User.id == user.id).values(**values),
        execution_options={"synchronize_session": "fetch"},
    )


def _register_failure(
    session: Session, user: User, actor: Actor, now: datetime, detail: str
) -> str:
    """Count one wrong password; lock the account at ``MAX_FAILED``. Returns the message."""
    _log(session, actor, AuditAction.LOGIN_FAILED, user, detail=detail)
    # Increment in SQL so two simultaneous attempts both count.
    _bookkeep(session, user, failed_attempts=User.failed_attempts + 1, locked_until=None)
    count = session.scalar(select(User.failed_attempts).where(User.id == user.id)) or 0
    if count < MAX_FAILED:
        return WRONG_CREDENTIALS
    until = now + timedelta(minutes=LOCK_MINUTES)
    _bookkeep(session, user, failed_attempts=0, locked_until=until)
    _log(
        session,
        actor,
        AuditAction.LOCKED,
        user,
        detail=f"连续 {MAX_FAILED} 次密码错误，锁定 {LOCK_MINUTES} 分钟",
    )
    return lock_message(until)


def _attempt(
    session: Session, username: str, password: str, host: str | None, now: datetime
) -> tuple[Actor | None, str]:
    """One sign-in attempt, fully recorded; returns (actor, "") or (None, message)."""
    user = _find_by_username(session, username)
    if user is None:
        _burn_verify(password)
        anonymous: dict[str, Any] = {
            "user_id": None,
            "username": username.strip()[:_NAME_MAX],
            "display_name": "",
            "role": Role.SUPERVISOR,
            "station_id": None,
        }
        if host:
            anonymous["host"] = host
        audit.record(
            session,
            Actor(**anonymous),
            AuditAction.LOGIN_FAILED,
            record_type=RECORD_TYPE,
            label=username.strip()[:_NAME_MAX],
            detail="用户名不存在",
        )
        return None, WRONG_CREDENTIALS
    actor = _actor_for(user, host)
    if _is_locked(user, now):
        assert user.locked_until is not None
        _log(session, actor, AuditAction.LOGIN_FAILED, user, detail="账户锁定期间尝试登录")
        return None, lock_message(user.locked_until)
    if not passwords.verify_password(user.password_hash, password):
        return None, _register_failure(session, user, actor, now, "密码错误")
    if not user.active:
        _log(session, actor, AuditAction.LOGIN_FAILED, user, detail="账户已停用")
        return None, ACCOUNT_DISABLED
    values: dict[str, object] = {"failed_attempts": 0, "locked_until": None, "last_login_at": now}
    if passwords.needs_rehash(user.password_hash):
        values["password_hash"] = passwords.hash_password(password)
    _bookkeep(session, user, **values)
    _log(session, actor, AuditAction.LOGIN, user)
    return actor, ""


def sign_in(
    db: Database,
    username: str,
    password: str,
    *,
    host: str | None = None,
    now: datetime | None = None,
) -> Actor:
    """Check the credentials and return the signed-in ``Actor``; raise ``AuthError`` otherwise.

    Runs in its own transaction, committed before any ``AuthError`` is raised, so failed
    attempts and locks are kept. Call it outside any ``db.transaction()`` block.
    """
    with db.transaction() as session:
        actor, message = _attempt(session, username, password, host, _now(now))
    if actor is None:
        raise AuthError(message)
    return actor


def verify_actor_password(
    session: Session, actor: Actor, password: str, *, now: datetime | None = None
) -> bool:
    """Re-check the signed-in user's password (unlocking the idle screen).

    Never raises for a wrong password: failures are counted like sign-in failures and the
    caller's transaction commits them. False also for a locked or disabled account; ask
    ``account_block_message`` what to show then.
    """
    at = _now(now)
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        return False
    if _is_locked(user, at) or not user.active:
        _log(
            session, actor, AuditAction.LOGIN_FAILED, user, detail="解除锁屏失败：账户已锁定或停用"
        )
        return False
    if not passwords.verify_password(user.password_hash, password):
        _register_failure(session, user, actor, at, "解除锁屏时密码错误")
        return False
    _bookkeep(session, user, failed_attempts=0, locked_until=None)
    _log(session, actor, AuditAction.LOGIN, user, detail="解除锁屏")
    return True


def account_block_message(
    session: Session, actor: Actor, *, now: datetime | None = None
) -> str | None:
    """Why the signed-in user's account cannot be used now (locked/disabled), or None."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        return "找不到当前登录的账户，请重新登录。"
    if _is_locked(user, _now(now)):
        assert user.locked_until is not None
        return lock_message(user.locked_until)
    if not user.active:
        return ACCOUNT_DISABLED
    return None


def needs_password_change(session: Session, actor: Actor) -> bool:
    """True after a reset: the user must choose a new password before working."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    return bool(user and user.must_change_password)


# --- user management -------------------------------------------------------------------


def _clean_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise ValidationError("请填写用户名。", field="username")
    if len(name) > _NAME_MAX:
        raise ValidationError(f"用户名不能超过 {_NAME_MAX} 个字符。", field="username")
    if any(ch.isspace() for ch in name):
        raise ValidationError("用户名不能包含空格。", field="username")
    return name


def _clean_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name:
        raise ValidationError("请填写姓名。", field="display_name")
    if len(name) > _NAME_MAX:
        raise ValidationError(f"姓名不能超过 {_NAME_MAX} 个字符。", field="display_name")
    return name


def _audit_fields(user: User) -> dict[str, object]:
    """What the audit log shows of a user — never the password or its hash."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "station_id": user.station_id,
        "active": user.active,
    }


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(USER_CHANGED) from exc


def _get_user(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("找不到该用户，可能已被删除。")
    if not actor.is_district and (user.station_id is None or user.station_id != actor.station_id):
        raise PermissionDenied("该用户属于其他站点或区级，您无权管理。")
    return user


def _target_station(
    session: Session, actor: Actor, role: Role, station_id: uuid.UUID | None
) -> uuid.UUID | None:
    if role is Role.DISTRICT_ADMIN:
        if not actor.is_district:
            raise PermissionDenied("只有区级管理员可以创建区级管理员账户。")
        return None
    target = station_id or actor.station_id
    if target is None:
        raise ValidationError("请选择该用户所属的站点。", field="station_id")
    if not actor.is_district and target != actor.station_id:
        raise PermissionDenied("站长只能管理本站点的用户。")
    if session.get(Station, target) is None:
        raise NotFound("找不到所选的站点。")
    return target


def _other_active_directors(session: Session, user: User) -> int:
    stmt = (
        select(func.count())
        .select_from(User)
        .where(
            User.station_id == user.station_id,
            User.role == Role.DIRECTOR.value,
            User.active.is_(True),
            User.id != user.id,
        )
    )
    return int(session.scalar(stmt) or 0)


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    station_id: uuid.UUID | None = None,
) -> UserRow:
    """Create an account; a director creates users of their own station only."""
    actor.require(Resource.USER, Action.CREATE)
    role = Role(role)
    name = _clean_username(username)
    display = _clean_display_name(display_name)
    target = _target_station(session, actor, role, station_id)
    passwords.check_password_strength(password, username=name)
    if _find_by_username(session, name) is not None:
        raise ConflictError(f"用户名“{name}”已被使用，请换一个。")
    user = User(
        username=name,
        display_name=display,
        role=role.value,
        station_id=target,
        password_hash=passwords.hash_password(password),
        active=True,
        failed_attempts=0,
        must_change_password=False,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a simultaneous create with the same name
        raise ConflictError(f"用户名“{name}”已被使用，请换一个。") from exc
    _log(session, actor, AuditAction.CREATE, user, changes=audit.diff({}, _audit_fields(user)))
    return _row(user)


def update_user(
    session: Session,
    actor: Actor,
    user_id: uuid.UUID,
    *,
    display_name: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
    expected_version: int,
) -> UserRow:
    """Rename, change the role of, disable or re-enable an account (``None`` = unchanged)."""
    actor.require(Resource.USER, Action.UPDATE)
    user = _get_user(session, actor, user_id)
    if user.version != expected_version:
        raise ConflictError(USER_CHANGED)
    new_display = _clean_display_name(display_name) if display_name is not None else None
    new_role = Role(role) if role is not None else Role(user.role)
    new_active = user.active if active is None else active
    if (new_role is Role.DISTRICT_ADMIN) != (user.role == Role.DISTRICT_ADMIN.value):
        raise ValidationError("区级管理员账户与站点账户不能互相转换，请另建账户。", field="role")
    if user.active and not new_active and user.id == actor.user_id:
        raise ValidationError("不能停用自己正在使用的账户。", field="active")
    was_director = user.role == Role.DIRECTOR.value and user.active
    demoted = not (new_role is Role.DIRECTOR and new_active)
    if was_director and demoted and _other_active_directors(session, user) == 0:
        raise ValidationError(LAST_DIRECTOR, field="active" if not new_active else "role")
    old = _audit_fields(user)
    if new_display is not None:
        user.display_name = new_display
    user.role = new_role.value
    user.active = new_active
    changes = audit.diff(old, _audit_fields(user))
    if changes:
        _flush(session)
        _log(session, actor, AuditAction.UPDATE, user, changes=changes)
    return _row(user)


def reset_password(session: Session, actor: Actor, user_id: uuid.UUID, new_password: str) -> None:
    """Set a new password for someone (director/district only); also unlocks the account.

    The user must choose their own password at the next sign-in (``needs_password_change``).
    """
    actor.require(Resource.USER, Action.UPDATE)
    user = _get_user(session, actor, user_id)
    passwords.check_password_strength(new_password, username=user.username)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    _flush(session)
    _log(
        session,
        actor,
        AuditAction.RESET_PASSWORD,
        user,
        detail="密码已重置并解锁，下次登录须修改密码",
    )


def change_own_password(
    session: Session, actor: Actor, old_password: str, new_password: str
) -> None:
    """The signed-in user changes their password (after a reset, or at will)."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise NotFound("找不到当前登录的账户，请重新登录。")
    if not passwords.verify_password(user.password_hash, old_password):
        raise AuthError("原密码不正确。")
    if new_password == old_password:
        raise ValidationError("新密码不能与原密码相同。", field="password")
    passwords.check_password_strength(new_password, username=user.username)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = False
    _flush(session)
    _log(session, actor, AuditAction.UPDATE, user, detail="修改本人密码")


def unlock_user(session: Session, actor: Actor, user_id: uuid.UUID) -> None:
    """End a lock before it expires (director of the station or district administrator)."""
    actor.require(Resource.USER, Action.UPDATE)
    user = _get_user(session, actor, user_id)
    user.failed_attempts = 0
    user.locked_until = None
    _flush(session)
    _log(session, actor, AuditAction.UNLOCK, user)


def get_user(session: Session, actor: Actor, user_id: uuid.UUID) -> UserRow:
    actor.require(Resource.USER, Action.READ)
    return _row(_get_user(session, actor, user_id))


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """The station's accounts (all accounts for a district administrator), by user name."""
    actor.require(Resource.USER, Action.READ)
    stmt = select(User).order_by(User.username)
    if not actor.is_district:
        stmt = stmt.where(User.station_id == actor.station_id)
    return [_row(user) for user in session.scalars(stmt)]
