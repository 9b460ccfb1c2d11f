"""Roles × resources × actions, checked in the services (DESIGN.md §3), and the Actor.

Export, viewing sensitive fields and reading the audit log are separate grants, as in
Primero's permission model (RELIABILITY-PACKAGING.md A3).
"""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from wushe_desktop.infra.errors import PermissionDenied


class Role(StrEnum):
    DIRECTOR = "站长"
    SOCIAL_WORKER = "社工"
    COORDINATOR = "协调员"
    SUPERVISOR = "督导"
    DISTRICT_ADMIN = "区级管理员"


class Resource(StrEnum):
    RESIDENT = "居民"
    COMMUNITY = "社区"
    USER = "用户"
    AUDIT = "审计日志"
    STATION = "站点"
    BACKUP = "备份"
    CASE = "个案"
    SERVICE = "服务记录"  # service records, group work, activities, visits
    VOLUNTEER = "志愿者"
    SHIFT = "排班与时长"  # shifts, assignments, check-in, hours, certificates


class Action(StrEnum):
    READ = "查看"
    CREATE = "新增"
    UPDATE = "修改"
    DELETE = "删除"
    RESTORE = "恢复"
    IMPORT = "导入"
    EXPORT = "导出"
    VIEW_SENSITIVE = "查看敏感信息"
    EXPORT_SENSITIVE = "导出完整敏感信息"
    APPROVE = "审核"
    ASSIGN = "分派"
    PRINT = "打印"


_R, _C, _U, _D = Action.READ, Action.CREATE, Action.UPDATE, Action.DELETE
_ALL = frozenset(Action)
_EDIT = frozenset({_R, _C, _U, _D, Action.RESTORE, Action.IMPORT, Action.EXPORT})

MATRIX: dict[Role, dict[Resource, frozenset[Action]]] = {
    Role.DIRECTOR: {
        Resource.RESIDENT: _ALL,
        Resource.COMMUNITY: _ALL,
        Resource.USER: frozenset({_R, _C, _U, _D}),
        Resource.AUDIT: frozenset({_R, Action.EXPORT}),
        Resource.STATION: frozenset({_R, _U}),
        Resource.BACKUP: frozenset({_R, _C, Action.RESTORE}),
        Resource.CASE: _ALL,
        Resource.SERVICE: _ALL,
        Resource.VOLUNTEER: _ALL,
        Resource.SHIFT: _ALL,
    },
    Role.SOCIAL_WORKER: {
        Resource.RESIDENT: _EDIT | {Action.VIEW_SENSITIVE},
        Resource.COMMUNITY: frozenset({_R, Action.EXPORT}),
        Resource.STATION: frozenset({_R}),
        Resource.BACKUP: frozenset({_C}),
        # Case content is further limited to the worker's own cases by the case services.
        Resource.CASE: _EDIT | {Action.VIEW_SENSITIVE, Action.PRINT},
        Resource.SERVICE: _EDIT | {Action.PRINT},
        Resource.VOLUNTEER: _EDIT | {Action.VIEW_SENSITIVE, Action.PRINT},
        Resource.SHIFT: _EDIT | {Action.ASSIGN, Action.PRINT},
    },
    Role.COORDINATOR: {
        Resource.RESIDENT: _EDIT,
        Resource.COMMUNITY: frozenset({_R, Action.EXPORT}),
        Resource.STATION: frozenset({_R}),
        Resource.CASE: frozenset({_R}),  # that a case exists and who holds it, not its content
        Resource.SERVICE: _EDIT | {Action.PRINT},
        Resource.VOLUNTEER: _EDIT | {Action.VIEW_SENSITIVE, Action.PRINT},
        Resource.SHIFT: _EDIT | {Action.ASSIGN, Action.APPROVE, Action.PRINT},
    },
    Role.SUPERVISOR: {
        Resource.RESIDENT: frozenset({_R}),
        Resource.COMMUNITY: frozenset({_R}),
        Resource.STATION: frozenset({_R}),
        Resource.CASE: frozenset({_R, Action.APPROVE, Action.PRINT}),
        Resource.SERVICE: frozenset({_R}),
        Resource.VOLUNTEER: frozenset({_R}),
        Resource.SHIFT: frozenset({_R}),
    },
    Role.DISTRICT_ADMIN: {
        Resource.RESIDENT: frozenset({_R, Action.EXPORT, Action.VIEW_SENSITIVE}),
        Resource.COMMUNITY: frozenset({_R, _C, _U, Action.EXPORT}),
        Resource.USER: frozenset({_R, _C, _U, _D}),
        Resource.AUDIT: frozenset({_R, Action.EXPORT}),
        Resource.STATION: _ALL,
        Resource.BACKUP: frozenset({_R, _C, Action.RESTORE}),
        Resource.CASE: frozenset({_R, Action.EXPORT}),
        Resource.SERVICE: frozenset({_R, Action.EXPORT}),
        Resource.VOLUNTEER: frozenset({_R, Action.EXPORT}),
        Resource.SHIFT: frozenset({_R, Action.EXPORT}),
    },
}


def allowed(role: Role, resource: Resource, action: Action) -> bool:
    return action in MATRIX.get(role, {}).get(resource, frozenset())


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the services see it (who, which station, from where)."""

    user_id: uuid.UUID | None
    username: str
    display_name: str
    role: Role
    station_id: uuid.UUID | None
    host: str = field(default_factory=socket.gethostname)

    @property
    def is_district(self) -> bool:
        return self.role is Role.DISTRICT_ADMIN

    def can(self, resource: Resource, action: Action) -> bool:
        return allowed(self.role, resource, action)

    def require(self, resource: Resource, action: Action) -> None:
        """Raise ``PermissionDenied`` with a Chinese message unless the role allows it."""
        if not self.can(resource, action):
            raise PermissionDenied(
                f"您的角色（{self.role.value}）没有“{resource.value}：{action.value}”的权限，"
                "如需此权限请联系站长。"
            )

    def require_station(self, station_id: uuid.UUID) -> None:
        """Refuse a record of another station unless the user is district-level."""
        if not self.is_district and station_id != self.station_id:
            raise PermissionDenied("该记录属于其他站点，您无权访问。")


def system_actor(station_id: uuid.UUID | None = None) -> Actor:
    """The command line's actor for set-up jobs (init, demo) that run before any sign-in."""
    return Actor(
        user_id=None,
        username="system",
        display_name="系统",
        role=Role.DISTRICT_ADMIN if station_id is None else Role.DIRECTOR,
        station_id=station_id,
    )
