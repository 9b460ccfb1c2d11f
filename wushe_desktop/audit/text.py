"""How audit entries read in Chinese: record types, field names, the change list.

Shared by the audit-log page, a resident's history tab and the Excel export, so the screen
and the file say the same thing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

__all__ = ["FIELD_LABELS", "RECORD_TYPES", "changes_text", "describe", "local_time"]

RECORD_TYPES = {
    "demo": "演示数据",
    "resident": "居民",
    "consent": "知情同意",
    "community": "社区",
    "grid": "网格",
    "user": "用户",
    "station": "站点",
    "audit": "审计日志",
    "station_setting": "站点设置",
    "case": "个案",
    "case_record": "个案阶段记录",
    "case_task": "个案待办",
    "case_referral": "转介",
    "case_attachment": "个案附件",
    "service_record": "服务记录",
    "visit": "探访",
    "visit_frequency": "探访频次",
    "group": "小组",
    "group_session": "小组活动节次",
    "activity": "社区活动",
    "volunteer": "志愿者",
    "volunteer_team": "志愿服务队",
    "volunteer_activity": "志愿服务活动",
    "volunteer_shift": "志愿服务班次",
    "volunteer_assignment": "排班",
    "volunteer_hours": "志愿服务时长",
    "volunteer_certificate": "志愿服务证明",
    "volunteer_setting": "志愿者设置",
    "volunteer_holiday": "节假日安排",
    "station_report": "工作报告",
    "station_package": "数据包",
}


#: Field names in the audit log's change lists, as people call them.
FIELD_LABELS = {
    "name": "名称/姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "doc_type": "证件类型",
    "id_number": "证件号码",
    "phone": "电话",
    "address": "住址",
    "community": "社区（村）",
    "grid": "网格",
    "tags": "重点人群",
    "notes": "备注",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "township": "乡镇（街道）",
    "district": "区（县）",
    "code": "站点编码",
    "kind": "类型",
    "population": "常住人口",
    "households": "户数",
    "worker_name": "网格员",
    "worker_phone": "网格员电话",
    "scope": "同意范围",
    "sensitive": "单独同意",
    "given_by": "同意人",
    "guardian_relation": "与居民关系",
    "notice_version": "告知书版本",
    "method": "同意方式",
    "given_on": "同意日期",
    "withdrawn_on": "撤回日期",
    "title": "名称/标题",
    "content": "内容",
    "organiser": "组织单位",
    "person_in_charge": "负责人",
    "place": "地点",
    "starts_on": "开始日期",
    "what_to_bring": "需携带物品",
    "linked_activity": "关联社区活动",
    "is_highlight": "工作亮点",
    "founded_on": "成立日期",
}


def _shown(value: object) -> str:
    if value in (None, ""):
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def local_time(at: datetime) -> str:
    """An entry's (UTC) time in this computer's time, to the second."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def changes_text(raw: str) -> str:
    """``{"phone": ["138****1234", "139****5678"]}`` → ``电话：138****1234 → 139****5678``."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return raw
    parts = []
    for key, value in data.items():
        if key.endswith("_id"):
            continue  # internal keys mean nothing to a reader
        label = FIELD_LABELS.get(key, key)
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{label}：{_shown(value[0])} → {_shown(value[1])}")
        else:
            parts.append(f"{label}：{_shown(value)}")
    return "；".join(parts)


def describe(entry: Any) -> str:
    """An entry's detail and its changes in one line."""
    text = changes_text(entry.changes)
    return "；".join(p for p in (entry.detail, text) if p)
