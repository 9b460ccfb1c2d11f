"""volunteers: registry, teams, shifts, assignments, hours, certificates

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-25 09:07:01

A branch from 0003 (rooms are developed in parallel; the app upgrades to every head).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # noqa: PLR0915 - generated: one statement per table and index
    op.create_table(
        "volunteer_holiday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=2), nullable=False),
        sa.Column("note", sa.String(length=50), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_holiday_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_holiday")),
        sa.UniqueConstraint("station_id", "day", name=op.f("uq_volunteer_holiday_station_id_day")),
    )
    with op.batch_alter_table("volunteer_holiday", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_holiday_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer_setting",
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("guardian_under", sa.Integer(), nullable=False),
        sa.Column("accompany_under", sa.Integer(), nullable=False),
        sa.Column("monthly_cap_minutes", sa.Integer(), nullable=False),
        sa.Column("daily_cap_minutes", sa.Integer(), nullable=False),
        sa.Column("rounding_minutes", sa.Integer(), nullable=False),
        sa.Column("record_deadline_workdays", sa.Integer(), nullable=False),
        sa.Column("star_hours", sa.String(length=60), nullable=False),
        sa.Column("star_months", sa.String(length=60), nullable=False),
        sa.Column("qualification_warn_days", sa.Integer(), nullable=False),
        sa.Column("issuer_name", sa.String(length=100), nullable=False),
        sa.Column("issuer_head", sa.String(length=50), nullable=False),
        sa.Column("issuer_handler", sa.String(length=50), nullable=False),
        sa.Column("issuer_contact", sa.String(length=50), nullable=False),
        sa.Column("uses_national_system", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_setting_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_setting")),
        sa.UniqueConstraint("station_id", name=op.f("uq_volunteer_setting_station_id")),
    )
    with op.batch_alter_table("volunteer_setting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_setting_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer_activity",
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("organiser", sa.String(length=100), nullable=False),
        sa.Column("person_in_charge", sa.String(length=50), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=False),
        sa.Column("what_to_bring", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_volunteer_activity_community_id_community"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_activity_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_activity")),
    )
    with op.batch_alter_table("volunteer_activity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_activity_station", ["station_id", "starts_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_activity_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer_shift_series",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("rule", sa.String(length=300), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["volunteer_activity.id"],
            name=op.f("fk_volunteer_shift_series_activity_id_volunteer_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_volunteer_shift_series_station_id_station"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_shift_series")),
    )
    with op.batch_alter_table("volunteer_shift_series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_shift_series_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_shift_series_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer",
        sa.Column("volunteer_no", sa.String(length=40), nullable=False),
        sa.Column("national_no", sa.String(length=40), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("doc_type", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=30), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_tail", sa.String(length=4), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("political_status", sa.String(length=20), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("occupation", sa.String(length=50), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("availability", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_reason", sa.String(length=200), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=True),
        sa.Column("emergency_name", sa.String(length=50), nullable=False),
        sa.Column("emergency_relation", sa.String(length=20), nullable=False),
        sa.Column("emergency_phone", sa.String(length=20), nullable=False),
        sa.Column("insurer", sa.String(length=100), nullable=False),
        sa.Column("insurance_policy", sa.String(length=60), nullable=False),
        sa.Column("insurance_until", sa.Date(), nullable=True),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("consent_by", sa.String(length=50), nullable=False),
        sa.Column("guardian_relation", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("py_initials", sa.String(length=60), nullable=False),
        sa.Column("py_full", sa.String(length=200), nullable=False),
        sa.Column("py_initials_alt", sa.String(length=60), nullable=True),
        sa.Column("py_full_alt", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_volunteer_community_id_community")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_volunteer_resident_id_resident"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer")),
        sa.UniqueConstraint(
            "station_id",
            "doc_type",
            "id_number",
            name=op.f("uq_volunteer_station_id_doc_type_id_number"),
        ),
        sa.UniqueConstraint(
            "station_id", "volunteer_no", name=op.f("uq_volunteer_station_id_volunteer_no")
        ),
    )
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index("ix_volunteer_phone_tail", ["station_id", "phone_tail"], unique=False)
        batch_op.create_index("ix_volunteer_resident", ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_volunteer_station_id"), ["station_id"], unique=False)
        batch_op.create_index(
            "ix_volunteer_station_id_number",
            ["station_id", "deleted_at", "id_number"],
            unique=False,
        )
        batch_op.create_index(
            "ix_volunteer_station_name", ["station_id", "deleted_at", "name", "id"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_station_no", ["station_id", "deleted_at", "volunteer_no"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_station_phone", ["station_id", "deleted_at", "phone"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_station_py_full", ["station_id", "deleted_at", "py_full"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_station_py_initials",
            ["station_id", "deleted_at", "py_initials"],
            unique=False,
        )

    op.create_table(
        "volunteer_award",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_award_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_award")),
    )
    with op.batch_alter_table("volunteer_award", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_award_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "volunteer_certificate",
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=50), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_certificate_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_certificate_volunteer_id_volunteer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_certificate")),
        sa.UniqueConstraint("serial", name=op.f("uq_volunteer_certificate_serial")),
    )
    with op.batch_alter_table("volunteer_certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_certificate_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_certificate_volunteer", ["volunteer_id", "issued_at"], unique=False
        )

    op.create_table(
        "volunteer_qualification",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_qualification_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_qualification")),
    )
    with op.batch_alter_table("volunteer_qualification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_qualification_volunteer", ["volunteer_id", "kind"], unique=False
        )

    op.create_table(
        "volunteer_skill",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("skill", sa.String(length=30), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_skill_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_skill")),
        sa.UniqueConstraint(
            "volunteer_id", "skill", name=op.f("uq_volunteer_skill_volunteer_id_skill")
        ),
    )
    with op.batch_alter_table("volunteer_skill", schema=None) as batch_op:
        batch_op.create_index("ix_volunteer_skill_skill", ["skill", "volunteer_id"], unique=False)

    op.create_table(
        "volunteer_star",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=100), nullable=False),
        sa.Column("basis_minutes", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_star_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_star")),
    )
    with op.batch_alter_table("volunteer_star", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_star_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "volunteer_team",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("leader_id", sa.Uuid(), nullable=True),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_volunteer_team_community_id_community"),
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_team_leader_id_volunteer"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_team_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_team")),
        sa.UniqueConstraint("station_id", "name", name=op.f("uq_volunteer_team_station_id_name")),
    )
    with op.batch_alter_table("volunteer_team", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_team_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer_training",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("course", sa.String(length=100), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("organiser", sa.String(length=100), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=False),
        sa.Column("certificate", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_training_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_training")),
    )
    with op.batch_alter_table("volunteer_training", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_training_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "volunteer_unavailable",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_unavailable_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_unavailable")),
    )
    with op.batch_alter_table("volunteer_unavailable", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_unavailable_volunteer", ["volunteer_id", "starts_on"], unique=False
        )

    op.create_table(
        "volunteer_shift",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=True),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("required_skills", sa.String(length=200), nullable=False),
        sa.Column("required_qualifications", sa.String(length=200), nullable=False),
        sa.Column("needs_insurance", sa.Boolean(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["volunteer_activity.id"],
            name=op.f("fk_volunteer_shift_activity_id_volunteer_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_volunteer_shift_community_id_community"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["volunteer_shift_series.id"],
            name=op.f("fk_volunteer_shift_series_id_volunteer_shift_series"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_shift_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["volunteer_team.id"],
            name=op.f("fk_volunteer_shift_team_id_volunteer_team"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_shift")),
    )
    with op.batch_alter_table("volunteer_shift", schema=None) as batch_op:
        batch_op.create_index("ix_volunteer_shift_activity", ["activity_id", "day"], unique=False)
        batch_op.create_index(
            "ix_volunteer_shift_station_day", ["station_id", "day", "start_minute"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_shift_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "volunteer_team_member",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["volunteer_team.id"],
            name=op.f("fk_volunteer_team_member_team_id_volunteer_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_team_member_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_team_member")),
        sa.UniqueConstraint(
            "team_id", "volunteer_id", name=op.f("uq_volunteer_team_member_team_id_volunteer_id")
        ),
    )
    with op.batch_alter_table("volunteer_team_member", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_team_member_volunteer", ["volunteer_id", "team_id"], unique=False
        )

    op.create_table(
        "volunteer_assignment",
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=True),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("cancel_reason", sa.String(length=200), nullable=False),
        sa.Column("override_reason", sa.String(length=200), nullable=False),
        sa.Column("override_conflicts", sa.Text(), nullable=False),
        sa.Column("check_in_at", sa.DateTime(), nullable=True),
        sa.Column("check_out_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["volunteer_shift.id"],
            name=op.f("fk_volunteer_assignment_shift_id_volunteer_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_assignment_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_assignment_volunteer_id_volunteer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_assignment")),
        sa.UniqueConstraint(
            "shift_id", "volunteer_id", name=op.f("uq_volunteer_assignment_shift_id_volunteer_id")
        ),
    )
    with op.batch_alter_table("volunteer_assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_assignment_station_day", ["station_id", "day"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_assignment_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_assignment_volunteer", ["volunteer_id", "day"], unique=False
        )

    op.create_table(
        "volunteer_hours",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("assignment_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("organiser", sa.String(length=100), nullable=False),
        sa.Column("person_in_charge", sa.String(length=50), nullable=False),
        sa.Column("actual_minutes", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("approver", sa.String(length=50), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["volunteer_activity.id"],
            name=op.f("fk_volunteer_hours_activity_id_volunteer_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["volunteer_assignment.id"],
            name=op.f("fk_volunteer_hours_assignment_id_volunteer_assignment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_volunteer_hours_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_hours_volunteer_id_volunteer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_hours")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_volunteer_hours_assignment_id")),
    )
    with op.batch_alter_table("volunteer_hours", schema=None) as batch_op:
        batch_op.create_index(
            "ix_volunteer_hours_station_day", ["station_id", "served_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_hours_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            "ix_volunteer_hours_volunteer", ["volunteer_id", "served_on"], unique=False
        )

    op.create_table(
        "volunteer_hours_correction",
        sa.Column("hours_id", sa.Uuid(), nullable=False),
        sa.Column("old_minutes", sa.Integer(), nullable=False),
        sa.Column("new_minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("by", sa.String(length=50), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hours_id"],
            ["volunteer_hours.id"],
            name=op.f("fk_volunteer_hours_correction_hours_id_volunteer_hours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_hours_correction")),
    )
    with op.batch_alter_table("volunteer_hours_correction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_hours_correction_hours_id"), ["hours_id"], unique=False
        )


def downgrade() -> None:  # noqa: PLR0915
    with op.batch_alter_table("volunteer_hours_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_hours_correction_hours_id"))

    op.drop_table("volunteer_hours_correction")
    with op.batch_alter_table("volunteer_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_hours_volunteer")
        batch_op.drop_index(batch_op.f("ix_volunteer_hours_station_id"))
        batch_op.drop_index("ix_volunteer_hours_station_day")

    op.drop_table("volunteer_hours")
    with op.batch_alter_table("volunteer_assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_assignment_volunteer")
        batch_op.drop_index(batch_op.f("ix_volunteer_assignment_station_id"))
        batch_op.drop_index("ix_volunteer_assignment_station_day")

    op.drop_table("volunteer_assignment")
    with op.batch_alter_table("volunteer_team_member", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_team_member_volunteer")

    op.drop_table("volunteer_team_member")
    with op.batch_alter_table("volunteer_shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_shift_station_id"))
        batch_op.drop_index("ix_volunteer_shift_station_day")
        batch_op.drop_index("ix_volunteer_shift_activity")

    op.drop_table("volunteer_shift")
    with op.batch_alter_table("volunteer_unavailable", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_unavailable_volunteer")

    op.drop_table("volunteer_unavailable")
    with op.batch_alter_table("volunteer_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_training_volunteer_id"))

    op.drop_table("volunteer_training")
    with op.batch_alter_table("volunteer_team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_team_station_id"))

    op.drop_table("volunteer_team")
    with op.batch_alter_table("volunteer_star", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_star_volunteer_id"))

    op.drop_table("volunteer_star")
    with op.batch_alter_table("volunteer_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_skill_skill")

    op.drop_table("volunteer_skill")
    with op.batch_alter_table("volunteer_qualification", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_qualification_volunteer")

    op.drop_table("volunteer_qualification")
    with op.batch_alter_table("volunteer_certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_certificate_volunteer")
        batch_op.drop_index(batch_op.f("ix_volunteer_certificate_station_id"))

    op.drop_table("volunteer_certificate")
    with op.batch_alter_table("volunteer_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_award_volunteer_id"))

    op.drop_table("volunteer_award")
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_station_py_initials")
        batch_op.drop_index("ix_volunteer_station_py_full")
        batch_op.drop_index("ix_volunteer_station_phone")
        batch_op.drop_index("ix_volunteer_station_no")
        batch_op.drop_index("ix_volunteer_station_name")
        batch_op.drop_index("ix_volunteer_station_id_number")
        batch_op.drop_index(batch_op.f("ix_volunteer_station_id"))
        batch_op.drop_index("ix_volunteer_resident")
        batch_op.drop_index("ix_volunteer_phone_tail")
        batch_op.drop_index(batch_op.f("ix_volunteer_community_id"))

    op.drop_table("volunteer")
    with op.batch_alter_table("volunteer_shift_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_shift_series_station_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_shift_series_activity_id"))

    op.drop_table("volunteer_shift_series")
    with op.batch_alter_table("volunteer_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_activity_station_id"))
        batch_op.drop_index("ix_volunteer_activity_station")

    op.drop_table("volunteer_activity")
    with op.batch_alter_table("volunteer_setting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_setting_station_id"))

    op.drop_table("volunteer_setting")
    with op.batch_alter_table("volunteer_holiday", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_holiday_station_id"))

    op.drop_table("volunteer_holiday")
