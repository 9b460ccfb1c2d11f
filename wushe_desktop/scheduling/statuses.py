"""Assignment and service-record statuses, and the record types the audit log uses."""

from __future__ import annotations

__all__ = [
    "ABSENT",
    "ACTIVE",
    "APPROVED",
    "CANCELLED",
    "CHECKED_IN",
    "CONFIRMED",
    "HOURS_RECORD",
    "PENDING",
    "SHIFT_RECORD",
    "SIGNED_UP",
    "VOID",
    "WAITLIST",
]

SIGNED_UP = "已报名"
CONFIRMED = "已确认"
CHECKED_IN = "已签到"
ABSENT = "缺席"
CANCELLED = "已取消"
WAITLIST = "候补"

#: Statuses that hold a place in the shift (count towards 已排人数).
ACTIVE = (SIGNED_UP, CONFIRMED, CHECKED_IN)

PENDING = "待审核"
APPROVED = "已审核"
VOID = "已作废"

SHIFT_RECORD = "volunteer_shift"
ASSIGNMENT_RECORD = "volunteer_assignment"
HOURS_RECORD = "volunteer_hours"
ACTIVITY_RECORD = "volunteer_activity"
CERTIFICATE_RECORD = "volunteer_certificate"
