"""Imports every room's tables so ``Base.metadata`` is complete (Alembic, create_all, tests)."""

from wushe_desktop.accounts.models import User
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseRecord,
    CaseReferral,
    CaseTask,
)
from wushe_desktop.community_work.models import (  # visits, groups, activities
    ActivityParticipant,
    ActivityPhoto,
    CommunityActivity,
    GroupAttendance,
    GroupMember,
    GroupSession,
    Visit,
    VisitFrequency,
    WorkGroup,
)
from wushe_desktop.exchange.models import ImportBaseline, PackageImport
from wushe_desktop.infra.db.base import Base
from wushe_desktop.reports.models import StationReport
from wushe_desktop.residents.models import ConsentRecord, Resident, ResidentTag
from wushe_desktop.scheduling.models import Assignment, Certificate, ServiceHours, Shift
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.stations.models import Community, Grid, Station
from wushe_desktop.stations.settings import StationSetting
from wushe_desktop.volunteers.models import Volunteer, VolunteerTeam

__all__ = [
    "ActivityParticipant",
    "ActivityPhoto",
    "Assignment",
    "AuditEntry",
    "Base",
    "Case",
    "CaseAttachment",
    "CaseEvent",
    "CaseRecord",
    "CaseReferral",
    "CaseTask",
    "Certificate",
    "Community",
    "CommunityActivity",
    "ConsentRecord",
    "Grid",
    "GroupAttendance",
    "GroupMember",
    "GroupSession",
    "ImportBaseline",
    "PackageImport",
    "Resident",
    "ResidentTag",
    "ServiceHours",
    "ServiceRecord",
    "Shift",
    "Station",
    "StationReport",
    "StationSetting",
    "User",
    "Visit",
    "VisitFrequency",
    "Volunteer",
    "VolunteerTeam",
    "WorkGroup",
]
