"""Fixed vocabularies of the volunteer registry (drop-downs, Excel choices, validation)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "EDUCATION",
    "GENDERS",
    "POLITICAL_STATUSES",
    "RECORD_TYPE",
    "SKILLS",
    "STAR_LABELS",
    "TEAM_RECORD_TYPE",
    "VolunteerStatus",
]

RECORD_TYPE = "volunteer"
TEAM_RECORD_TYPE = "volunteer_team"


class VolunteerStatus(StrEnum):
    ACTIVE = "在册"
    PAUSED = "暂停"
    LEFT = "退出"


#: The common skill tags (专业技能); a station may add its own.
SKILLS: tuple[str, ...] = (
    "医疗护理",
    "心理疏导",
    "法律",
    "教育辅导",
    "文艺",
    "维修",
    "驾驶",
    "信息技术",
    "外语",
    "手语",
)

POLITICAL_STATUSES: tuple[str, ...] = (
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民主党派",
    "群众",
)

EDUCATION: tuple[str, ...] = ("小学", "初中", "高中/中专", "大专", "本科", "研究生")

GENDERS: tuple[str, ...] = ("男", "女")

STAR_LABELS: dict[int, str] = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
