"""cases and service records: casework, service-record list, station settings

A branch from 0003 (rooms are developed in parallel; the app upgrades to every head).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "station_setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_station_setting_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_setting")),
        sa.UniqueConstraint("station_id", "key", name=op.f("uq_station_setting_station_id_key")),
    )
    with op.batch_alter_table("station_setting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_station_setting_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "service_record",
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("service_type", sa.String(length=10), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("worker_name", sa.String(length=50), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("attendances", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("is_highlight", sa.Boolean(), nullable=False),
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
            name=op.f("fk_service_record_community_id_community"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_service_record_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_service_record_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["app_user.id"], name=op.f("fk_service_record_worker_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_record")),
    )
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_record_community", ["community_id", "served_on"], unique=False
        )
        batch_op.create_index(
            "ix_service_record_resident", ["resident_id", "served_on"], unique=False
        )
        batch_op.create_index("ix_service_record_source", ["source_id", "served_on"], unique=False)
        batch_op.create_index(
            "ix_service_record_station_day",
            ["station_id", "deleted_at", "served_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_service_record_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index("ix_service_record_worker", ["worker_id", "served_on"], unique=False)


def downgrade() -> None:
    op.drop_table("station_setting")
    op.drop_table("service_record")
