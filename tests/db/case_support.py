"""Shared helpers of the case tests: a station with staff, a resident, and stage records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from tests.db.residents_support import Places, make_places
from tests.db.service_support import make_resident, make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.cases import records as rec
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Station


@dataclass(frozen=True)
class Staff:
    places: Places
    director: Actor
    worker: Actor
    other_worker: Actor
    supervisor: Actor
    coordinator: Actor
    elder: uuid.UUID  # born 1950
    child: uuid.UUID  # born 2015


def make_staff(db: Database, station: Station) -> Staff:
    places = make_places(db, station)
    return Staff(
        places=places,
        director=make_user(db, station, Role.DIRECTOR, "zhanzhang"),
        worker=make_user(db, station, Role.SOCIAL_WORKER, "shegong1"),
        other_worker=make_user(db, station, Role.SOCIAL_WORKER, "shegong2"),
        supervisor=make_user(db, station, Role.SUPERVISOR, "dudao1"),
        coordinator=make_user(db, station, Role.COORDINATOR, "luru1"),
        elder=make_resident(db, places, "王秀英", date(1950, 4, 1), 124),
        child=make_resident(db, places, "李小宝", date(2015, 6, 1), 135),
    )


INTAKE = rec.IntakeData(
    presenting_problem="独居，行动不便，做饭困难",
    consent_service=True,
    consent_data=True,
    accepted=True,
    reason="符合服务范围",
)
ASSESSMENT = rec.AssessmentData(
    needs=[rec.Need("生活照料", "需要助餐和家务支持", 1), rec.Need("社会支持", "与邻里来往少", 2)],
    strengths="头脑清楚，女儿每周来电话",
    risk_level="中",
    pre_measures=[rec.Measure("生活自理", 2, "1-5分"), rec.Measure("孤独感", 4, "1-5分，越低越好")],
)


def plan(target: date) -> rec.PlanData:
    return rec.PlanData(
        overall_goal="提升居家生活质量",
        goals=[
            rec.Goal(1, "解决吃饭问题", "每周至少5天助餐", target),
            rec.Goal(2, "增加社会交往", "每月参加2次社区活动", target),
        ],
        actions=[
            rec.PlanAction("社工", "shegong1", "链接助餐点", "第1周", 1),
            rec.PlanAction("志愿者", "爱心志愿队", "每周陪伴", "每周三", 2),
        ],
    )


EVALUATION = rec.EvaluationData(
    attainments=[rec.Attainment(1, "完全达成"), rec.Attainment(2, "部分达成", "参加1次")],
    satisfaction="满意",
    post_measures=[
        rec.Measure("生活自理", 4, "1-5分"),
        rec.Measure("孤独感", 2, "1-5分，越低越好"),
    ],
)
CLOSURE = rec.ClosureData(
    reason="目标达成", summary="助餐稳定，社交改善", follow_up_plan="一个月后电话回访"
)
