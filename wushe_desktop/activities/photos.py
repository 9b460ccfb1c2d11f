"""Photos of an activity (活动照片), kept in the shared attachments store by SHA-256.

The store never deletes files (backups hold them too); removing a photo removes its row.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.activities.models import ActivityPhoto
from wushe_desktop.activities.rows import PhotoRow, photo_rows
from wushe_desktop.activities.service import RECORD_TYPE, load_activity
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.community_work.common import limited
from wushe_desktop.infra import attachments
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError

__all__ = ["PHOTO_SUFFIXES", "add_photo", "list_photos", "photo_file", "remove_photo"]

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic", ".tif", ".tiff")
CAPTION_MAX = 200


def list_photos(session: Session, actor: Actor, activity_id: uuid.UUID) -> list[PhotoRow]:
    actor.require(Resource.SERVICE, Action.READ)
    load_activity(session, actor, activity_id)
    return photo_rows(session, activity_id)


def add_photo(
    session: Session, actor: Actor, activity_id: uuid.UUID, source: Path, caption: str = ""
) -> PhotoRow:
    """Copy a photo into the store and attach it to the activity; audited."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    activity = load_activity(session, actor, activity_id)
    if activity.deleted_at is not None:
        raise ConflictError("该活动在回收站中，请先恢复再添加照片。")
    source = Path(source)
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise ValidationError(
            f"“{source.name}”不是照片文件；请选择 {'、'.join(s[1:] for s in PHOTO_SUFFIXES)} 格式的图片。",
            field="file",
        )
    text = limited(caption, CAPTION_MAX, "照片说明", "caption")
    stored = attachments.store_file(source)
    photo = ActivityPhoto(
        activity_id=activity.id,
        file_name=source.name[:200],
        sha256=stored.sha256,
        size_bytes=stored.size,
        stored_path=stored.relative_path,
        caption=text,
    )
    session.add(photo)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=activity.id,
        label=f"{activity.held_on.isoformat()} {activity.title}",
        detail=f"添加照片“{photo.file_name}”（SHA-256 {stored.sha256[:12]}…）",
        station_id=activity.station_id,
    )
    return next(p for p in photo_rows(session, activity.id) if p.id == photo.id)


def _photo(session: Session, actor: Actor, photo_id: uuid.UUID) -> ActivityPhoto:
    photo = session.get(ActivityPhoto, photo_id)
    if photo is None:
        raise NotFound("未找到该照片，可能已被移除。")
    load_activity(session, actor, photo.activity_id)
    return photo


def remove_photo(session: Session, actor: Actor, photo_id: uuid.UUID) -> None:
    """Detach a photo from its activity (the stored file stays for backups); audited."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    photo = _photo(session, actor, photo_id)
    activity = load_activity(session, actor, photo.activity_id)
    session.delete(photo)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=activity.id,
        label=f"{activity.held_on.isoformat()} {activity.title}",
        detail=f"移除照片“{photo.file_name}”",
        station_id=activity.station_id,
    )


def photo_file(session: Session, actor: Actor, photo_id: uuid.UUID) -> Path:
    """The stored file to open with the system viewer (refused when it no longer matches)."""
    actor.require(Resource.SERVICE, Action.READ)
    photo = _photo(session, actor, photo_id)
    path = attachments.resolve(photo.stored_path)
    if not attachments.verify(photo.stored_path, photo.sha256):
        raise ConflictError(
            f"照片“{photo.file_name}”的文件已被改动（校验值不符），请从备份中恢复。"
        )
    return path
