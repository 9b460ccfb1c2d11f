"""The tables of visits, group work and community activities (one import for models.py)."""

from wushe_desktop.activities.models import ActivityParticipant, ActivityPhoto, CommunityActivity
from wushe_desktop.groups.models import GroupAttendance, GroupMember, GroupSession, WorkGroup
from wushe_desktop.visits.models import Visit, VisitFrequency

__all__ = [
    "ActivityParticipant",
    "ActivityPhoto",
    "CommunityActivity",
    "GroupAttendance",
    "GroupMember",
    "GroupSession",
    "Visit",
    "VisitFrequency",
    "WorkGroup",
]
