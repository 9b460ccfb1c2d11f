"""visits, group work and community activities

A branch from 0003 (rooms are developed in parallel; the app upgrades to every head).
Links to the case and service-record tables of the other branch are plain uuid columns.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_frequency",
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_visit_frequency_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_frequency")),
        sa.UniqueConstraint("station_id", "tag", name=op.f("uq_visit_frequency_station_id_tag")),
    )
    with op.batch_alter_table("visit_frequency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_frequency_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "community_activity",
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("activity_type", sa.String(length=10), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("organizer_kind", sa.String(length=10), nullable=False),
        sa.Column("organizer_name", sa.String(length=100), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("volunteers", sa.Integer(), nullable=False),
        sa.Column("cost_fen", sa.Integer(), nullable=True),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_community_activity_community_id_community"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_community_activity_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["app_user.id"], name=op.f("fk_community_activity_worker_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_activity")),
    )
    with op.batch_alter_table("community_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_activity_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            "ix_community_activity_station_day",
            ["station_id", "deleted_at", "held_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_community_activity_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_activity_worker_id"), ["worker_id"], unique=False
        )

    op.create_table(
        "work_group",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("group_type", sa.String(length=10), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("facilitator_id", sa.Uuid(), nullable=True),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("target_members", sa.Text(), nullable=False),
        sa.Column("recruitment", sa.Text(), nullable=False),
        sa.Column("planned_sessions", sa.Integer(), nullable=False),
        sa.Column("closing_evaluation", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_work_group_community_id_community")
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"], ["app_user.id"], name=op.f("fk_work_group_facilitator_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_work_group_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_group")),
    )
    with op.batch_alter_table("work_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_group_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_group_facilitator_id"), ["facilitator_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_work_group_station_id"), ["station_id"], unique=False)
        batch_op.create_index(
            "ix_work_group_station_start", ["station_id", "deleted_at", "start_date"], unique=False
        )

    op.create_table(
        "activity_photo",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("stored_path", sa.String(length=300), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["community_activity.id"],
            name=op.f("fk_activity_photo_activity_id_community_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_photo")),
    )
    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_photo_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "group_session",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["work_group.id"], name=op.f("fk_group_session_group_id_work_group")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_group_session_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session")),
    )
    with op.batch_alter_table("group_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_group_session_group", ["group_id", "deleted_at", "number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_group_session_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "activity_participant",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["community_activity.id"],
            name=op.f("fk_activity_participant_activity_id_community_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_activity_participant_resident_id_resident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_participant")),
        sa.UniqueConstraint(
            "activity_id",
            "resident_id",
            name=op.f("uq_activity_participant_activity_id_resident_id"),
        ),
    )
    with op.batch_alter_table("activity_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_participant_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "group_attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_group_attendance_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_session.id"],
            name=op.f("fk_group_attendance_session_id_group_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_attendance")),
        sa.UniqueConstraint(
            "session_id", "resident_id", name=op.f("uq_group_attendance_session_id_resident_id")
        ),
    )
    with op.batch_alter_table("group_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_attendance_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "group_member",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["work_group.id"],
            name=op.f("fk_group_member_group_id_work_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_group_member_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_member")),
        sa.UniqueConstraint(
            "group_id", "resident_id", name=op.f("uq_group_member_group_id_resident_id")
        ),
    )
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_member_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "visit",
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("visitor_kind", sa.String(length=10), nullable=False),
        sa.Column("visitor_user_id", sa.Uuid(), nullable=True),
        sa.Column("visitor_name", sa.String(length=50), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("risk_found", sa.Boolean(), nullable=False),
        sa.Column("risk_description", sa.Text(), nullable=False),
        sa.Column("follow_up_needed", sa.Boolean(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_visit_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_visit_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["visitor_user_id"], ["app_user.id"], name=op.f("fk_visit_visitor_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visit_station_day", ["station_id", "deleted_at", "visited_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_visit_station_resident",
            ["station_id", "deleted_at", "resident_id", "visited_on"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_station_resident")
        batch_op.drop_index("ix_visit_station_day")

    op.drop_table("visit")
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_member_resident_id"))

    op.drop_table("group_member")
    with op.batch_alter_table("group_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_attendance_resident_id"))

    op.drop_table("group_attendance")
    with op.batch_alter_table("activity_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_participant_resident_id"))

    op.drop_table("activity_participant")
    with op.batch_alter_table("group_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_session_station_id"))
        batch_op.drop_index("ix_group_session_group")

    op.drop_table("group_session")
    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_photo_activity_id"))

    op.drop_table("activity_photo")
    with op.batch_alter_table("work_group", schema=None) as batch_op:
        batch_op.drop_index("ix_work_group_station_start")
        batch_op.drop_index(batch_op.f("ix_work_group_station_id"))
        batch_op.drop_index(batch_op.f("ix_work_group_facilitator_id"))
        batch_op.drop_index(batch_op.f("ix_work_group_community_id"))

    op.drop_table("work_group")
    with op.batch_alter_table("community_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_activity_worker_id"))
        batch_op.drop_index(batch_op.f("ix_community_activity_station_id"))
        batch_op.drop_index("ix_community_activity_station_day")
        batch_op.drop_index(batch_op.f("ix_community_activity_community_id"))

    op.drop_table("community_activity")
    with op.batch_alter_table("visit_frequency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_frequency_station_id"))

    op.drop_table("visit_frequency")
