"""A volunteer's dated records (不可服务日期, 培训, 表彰, 星级评定, 岗位资格): one tab each with
添加/删除; every add is a small form that checks as you type and saves through
``volunteers.records`` (which audits it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.scheduling.timefmt import hours_text
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of, set_date
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor
from wushe_desktop.volunteers.constants import STAR_LABELS

__all__ = [
    "RECORD_KINDS",
    "AwardDialog",
    "QualificationDialog",
    "StarDialog",
    "TrainingDialog",
    "UnavailableDialog",
    "VolunteerRecordsDialog",
    "load_record_lines",
]

#: (core kind, tab title) in tab order.
RECORD_KINDS: list[tuple[str, str]] = [
    ("unavailable", "不可服务日期"),
    ("training", "培训记录"),
    ("award", "表彰奖励"),
    ("star", "星级评定"),
    ("qualification", "岗位资格"),
]

RecordLines = dict[str, list[tuple[uuid.UUID, str]]]


def load_record_lines(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> RecordLines:
    """Runs on the DB thread: each kind's records as (id, one line of text)."""
    from wushe_desktop.volunteers.records import list_records, qualification_state
    from wushe_desktop.volunteers.settings import get_rules

    r = list_records(session, actor, volunteer_id)
    warn = get_rules(session, actor.station_id).qualification_warn_days
    today = date.today()

    def quals() -> list[tuple[uuid.UUID, str]]:
        out = []
        for q in r.qualifications:
            until = q.valid_until.isoformat() if q.valid_until else "长期有效"
            got = f"，{q.obtained_on.isoformat()} 取得" if q.obtained_on else ""
            no = f"，证书编号 {q.number}" if q.number else ""
            state = qualification_state(q.valid_until, today, warn)
            out.append((q.id, f"{q.kind}（有效期至 {until}{got}{no}）【{state}】"))
        return out

    return {
        "unavailable": [
            (u.id, f"{u.starts_on.isoformat()} 至 {u.ends_on.isoformat()}　{u.reason}".rstrip())
            for u in r.unavailable
        ],
        "training": [
            (
                t.id,
                f"{t.trained_on.isoformat()}　{t.course}"
                + (f"（{t.minutes // 60}小时{t.minutes % 60:02d}分）" if t.minutes else "")
                + (f"　{t.organiser}" if t.organiser else "")
                + (f"　证书：{t.certificate}" if t.certificate else ""),
            )
            for t in r.trainings
        ],
        "award": [
            (a.id, f"{a.awarded_on.isoformat()}　{a.name}" + (f"　{a.body}" if a.body else ""))
            for a in r.awards
        ],
        "star": [
            (s.id, f"{s.awarded_on.isoformat()}　{STAR_LABELS[s.level]}志愿者　{s.body}")
            for s in r.stars
        ],
        "qualification": quals(),
    }


class _RecordForm(FormDialog):
    """Common part: the volunteer the record is for; with ``record`` (an id and its values
    from ``records.record_values``) the form edits that record instead of adding one."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.actor = actor
        self.volunteer_id = volunteer_id
        self.record_id = record[0] if record else None
        self.values: dict[str, Any] = record[1] if record else {}

    def titled(self, adding: str, editing: str) -> None:
        self.setWindowTitle(self.tr(editing) if self.record_id else self.tr(adding))

    def add_or_update(
        self,
        session: Session,
        add: Callable[..., Any],
        update: Callable[..., Any],
        values: dict[str, Any],
    ) -> object:
        """Save ``values`` as a new record of the volunteer, or over the record edited."""
        if self.record_id is not None:
            return update(session, self.actor, self.record_id, **values).id
        return add(session, self.actor, self.volunteer_id, **values).id


def _line(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


def _length(text: str, limit: int, label: str, *, required: bool = False) -> str:
    value = text.strip()
    if required and not value:
        return f"{label}不能为空。"
    if len(value) > limit:
        return f"{label}最长{limit}个字，当前为{len(value)}个字。"
    return ""


class UnavailableDialog(_RecordForm):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, actor, volunteer_id, parent, record=record)
        self.titled("登记不可服务日期", "修改不可服务日期")
        v = self.values
        self.starts_on = date_edit(v.get("starts_on"))
        self.ends_on = date_edit(v.get("ends_on"))
        self.reason = _line(self.tr("如：外出探亲、住院"))
        self.reason.setText(v.get("reason", ""))
        self.form.addRow(self.tr("开始日期"), self.starts_on)
        self.form.addRow(self.tr("结束日期"), self.ends_on)
        self.form.addRow(self.tr("原因"), self.reason)
        self.watch("原因", self.reason)
        self.fields["ends_on"] = self.ends_on
        for edit in (self.starts_on, self.ends_on):
            edit.dateChanged.connect(self._changed)
        self.check()

    def problem(self) -> str:
        if date_of(self.ends_on) < date_of(self.starts_on):
            return self.tr("结束日期早于开始日期，请核对。")
        return _length(self.reason.text(), 100, "原因")

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.records import add_unavailable, update_unavailable

        values: dict[str, Any] = {
            "starts_on": date_of(self.starts_on),
            "ends_on": date_of(self.ends_on),
            "reason": self.reason.text(),
        }
        return self.add_or_update(session, add_unavailable, update_unavailable, values)


class TrainingDialog(_RecordForm):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, actor, volunteer_id, parent, record=record)
        self.titled("登记培训记录", "修改培训记录")
        self.course = _line(self.tr("如：应急救护培训"))
        self.trained_on = date_edit()
        self.hours = QSpinBox()
        self.hours.setRange(0, 999)
        self.hours.setSuffix(self.tr(" 小时"))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 59)
        self.minutes.setSuffix(self.tr(" 分"))
        length = QHBoxLayout()
        length.addWidget(self.hours)
        length.addWidget(self.minutes)
        self.organiser = _line()
        self.content = _line()
        self.certificate = _line(self.tr("证书名称或编号（如有）"))
        self.form.addRow(self.tr("培训名称 *"), self.course)
        self.form.addRow(self.tr("培训日期"), self.trained_on)
        self.form.addRow(self.tr("学习时长"), length)
        self.form.addRow(self.tr("举办单位"), self.organiser)
        self.form.addRow(self.tr("主要内容"), self.content)
        self.form.addRow(self.tr("培训证书"), self.certificate)
        if self.values:
            v = self.values
            self.course.setText(v["course"])
            set_date(self.trained_on, v["trained_on"])
            self.hours.setValue(v["minutes"] // 60)
            self.minutes.setValue(v["minutes"] % 60)
            self.organiser.setText(v["organiser"])
            self.content.setText(v["content"])
            self.certificate.setText(v["certificate"])
        for name, w in (
            ("培训名称", self.course),
            ("举办单位", self.organiser),
            ("主要内容", self.content),
            ("培训证书", self.certificate),
        ):
            self.watch(name, w)
        self.check()

    def problem(self) -> str:
        return (
            _length(self.course.text(), 100, "培训名称", required=True)
            or _length(self.organiser.text(), 100, "举办单位")
            or _length(self.content.text(), 500, "主要内容")
            or _length(self.certificate.text(), 100, "培训证书")
        )

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.records import add_training, update_training

        values: dict[str, Any] = {
            "course": self.course.text(),
            "trained_on": date_of(self.trained_on),
            "minutes": self.hours.value() * 60 + self.minutes.value(),
            "content": self.content.text(),
            "organiser": self.organiser.text(),
            "certificate": self.certificate.text(),
        }
        return self.add_or_update(session, add_training, update_training, values)


class AwardDialog(_RecordForm):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, actor, volunteer_id, parent, record=record)
        self.titled("登记表彰奖励", "修改表彰奖励")
        v = self.values
        self.name = _line(self.tr("如：优秀志愿者"))
        self.name.setText(v.get("name", ""))
        self.awarded_on = date_edit(v.get("awarded_on"))
        self.body = _line(self.tr("如：清江浦区文明办"))
        self.body.setText(v.get("body", ""))
        self.form.addRow(self.tr("表彰名称 *"), self.name)
        self.form.addRow(self.tr("表彰日期"), self.awarded_on)
        self.form.addRow(self.tr("授予单位"), self.body)
        self.watch("表彰名称", self.name)
        self.watch("授予单位", self.body)
        self.check()

    def problem(self) -> str:
        return _length(self.name.text(), 100, "表彰名称", required=True) or _length(
            self.body.text(), 100, "授予单位"
        )

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.records import add_award, update_award

        values: dict[str, Any] = {
            "name": self.name.text(),
            "awarded_on": date_of(self.awarded_on),
            "body": self.body.text(),
        }
        return self.add_or_update(session, add_award, update_award, values)


class StarDialog(_RecordForm):
    """Records a star level actually awarded (by the 志愿服务组织 or the national system);
    the hours-based eligibility shown elsewhere is only a hint."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, actor, volunteer_id, parent, record=record)
        self.titled("记录星级评定", "修改星级评定")
        self.level = QComboBox()
        for level, label in STAR_LABELS.items():
            self.level.addItem(self.tr("%s志愿者") % label, level)
        self.awarded_on = date_edit()
        self.body = _line(self.tr("评定的志愿服务组织或单位"))
        self.basis_hours = QSpinBox()
        self.basis_hours.setRange(0, 99_999)
        self.basis_hours.setSuffix(self.tr(" 小时"))
        self.notes = _line()
        self.form.addRow(self.tr("星级"), self.level)
        self.form.addRow(self.tr("评定日期"), self.awarded_on)
        self.form.addRow(self.tr("评定单位 *"), self.body)
        self.form.addRow(self.tr("依据服务时长"), self.basis_hours)
        self.form.addRow(self.tr("说明"), self.notes)
        if self.values:
            v = self.values
            self.level.setCurrentIndex(self.level.findData(v["level"]))
            set_date(self.awarded_on, v["awarded_on"])
            self.body.setText(v["body"])
            self.basis_hours.setValue(v["basis_minutes"] // 60)
            self.notes.setText(v["notes"])
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.watch("level", self.level)
        self.watch("评定单位", self.body)
        self.watch("说明", self.notes)
        self.check()
        self._load_totals()

    def _load_totals(self) -> None:
        """Pre-fill the basis from the approved hours and say which level they reach (a hint:
        the star actually awarded is what the awarding body decided)."""
        from wushe_desktop.scheduling.stats import volunteer_totals

        actor, vid = self.actor, self.volunteer_id

        def done(totals: Any) -> None:
            hours = totals.total_minutes // 60
            star = STAR_LABELS.get(totals.eligible_star)
            reach = self.tr("按本站标准可评%s") % star if star else self.tr("尚未达到一星标准")
            got = STAR_LABELS.get(totals.awarded_star, "无")
            self.hint.setText(
                self.tr("已审核服务 %s 小时，%s；已记录的最高星级：%s。")
                % (hours_text(totals.total_minutes), reach, got)
            )
            if self.record_id is not None:
                return  # editing: keep what was recorded
            if self.basis_hours.value() == 0:
                self.basis_hours.setValue(hours)
            if totals.eligible_star in STAR_LABELS and not self._touched:
                self.level.setCurrentIndex(self.level.findData(totals.eligible_star))

        self.executor.query(lambda s: volunteer_totals(s, actor, vid), done, parent=self)

    def problem(self) -> str:
        return _length(self.body.text(), 100, "评定单位", required=True) or _length(
            self.notes.text(), 200, "说明"
        )

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.records import add_star, update_star

        values: dict[str, Any] = {
            "level": int(self.level.currentData()),
            "awarded_on": date_of(self.awarded_on),
            "body": self.body.text(),
            "basis_minutes": self.basis_hours.value() * 60,
            "notes": self.notes.text(),
        }
        return self.add_or_update(session, add_star, update_star, values)


class QualificationDialog(_RecordForm):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        volunteer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        record: tuple[uuid.UUID, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(executor, actor, volunteer_id, parent, record=record)
        self.titled("登记岗位资格", "修改岗位资格")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(["", "急救证", "健康证", "驾驶证", "心理咨询师", "社会工作者职业资格"])
        self.number = _line()
        self.has_obtained = QCheckBox(self.tr("已知取得日期"))
        self.obtained_on = date_edit()
        self.obtained_on.setEnabled(False)
        self.has_expiry = QCheckBox(self.tr("有有效期（不勾选为长期有效）"))
        self.has_expiry.setChecked(True)
        self.valid_until = date_edit(date.today().replace(year=date.today().year + 1))
        self.form.addRow(self.tr("资格名称 *"), self.kind)
        self.form.addRow(self.tr("证书编号"), self.number)
        self.form.addRow(self.has_obtained, self.obtained_on)
        self.form.addRow(self.has_expiry, self.valid_until)
        if self.values:
            v = self.values
            self.kind.setCurrentText(v["kind"])
            self.number.setText(v["number"])
            self.has_obtained.setChecked(v["obtained_on"] is not None)
            self.obtained_on.setEnabled(v["obtained_on"] is not None)
            if v["obtained_on"] is not None:
                set_date(self.obtained_on, v["obtained_on"])
            self.has_expiry.setChecked(v["valid_until"] is not None)
            self.valid_until.setEnabled(v["valid_until"] is not None)
            if v["valid_until"] is not None:
                set_date(self.valid_until, v["valid_until"])
        line = self.kind.lineEdit()
        assert line is not None
        line.textChanged.connect(self._changed)
        self.fields["资格名称"] = self.kind
        self.fields["valid_until"] = self.valid_until
        self.watch("证书编号", self.number)
        self.has_obtained.toggled.connect(self.obtained_on.setEnabled)
        self.has_expiry.toggled.connect(self.valid_until.setEnabled)
        for box in (self.has_obtained, self.has_expiry):
            box.toggled.connect(self._changed)
        for edit in (self.obtained_on, self.valid_until):
            edit.dateChanged.connect(self._changed)
        self.check()

    def obtained(self) -> date | None:
        return date_of(self.obtained_on) if self.has_obtained.isChecked() else None

    def until(self) -> date | None:
        return date_of(self.valid_until) if self.has_expiry.isChecked() else None

    def problem(self) -> str:
        got, until = self.obtained(), self.until()
        if got and until and until < got:
            return self.tr("资格有效期早于取得日期，请核对。")
        return _length(self.kind.currentText(), 50, "资格名称", required=True) or _length(
            self.number.text(), 60, "证书编号"
        )

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.records import add_qualification, update_qualification

        values: dict[str, Any] = {
            "kind": self.kind.currentText(),
            "number": self.number.text(),
            "obtained_on": self.obtained(),
            "valid_until": self.until(),
        }
        return self.add_or_update(session, add_qualification, update_qualification, values)


_FORMS: dict[str, type[_RecordForm]] = {
    "unavailable": UnavailableDialog,
    "training": TrainingDialog,
    "award": AwardDialog,
    "star": StarDialog,
    "qualification": QualificationDialog,
}


class VolunteerRecordsDialog(QDialog):
    """All five record blocks of one volunteer, with 添加…/修改…/删除 on each tab (a
    double-click or Enter on a record opens it for editing too)."""

    def __init__(
        self, ctx: AppContext, volunteer_id: uuid.UUID, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.volunteer_id = volunteer_id
        self.changed = False
        self.setWindowTitle(self.tr("%s 的志愿服务记录") % name)
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.lists: dict[str, QListWidget] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        self.edit_buttons: dict[str, QPushButton] = {}
        can_edit = ctx.can(Resource.VOLUNTEER, Action.UPDATE)
        for kind, title in RECORD_KINDS:
            page = QWidget()
            box = QVBoxLayout(page)
            listing = QListWidget()
            bar = QHBoxLayout()
            add = QPushButton(self.tr("添加…"))
            edit = QPushButton(self.tr("修改…"))
            remove = QPushButton(self.tr("删除"))
            add.setEnabled(can_edit)
            edit.setEnabled(False)
            remove.setEnabled(False)
            add.clicked.connect(lambda _c=False, k=kind: self.add(k))
            edit.clicked.connect(lambda _c=False, k=kind: self.edit(k))
            remove.clicked.connect(lambda _c=False, k=kind: self.remove(k))
            if can_edit:
                listing.itemActivated.connect(lambda _item, k=kind: self.edit(k))
            for button in (edit, remove):
                listing.currentRowChanged.connect(
                    lambda row, b=button: b.setEnabled(row >= 0 and can_edit)
                )
            bar.addWidget(add)
            bar.addWidget(edit)
            bar.addWidget(remove)
            bar.addStretch(1)
            box.addWidget(listing, 1)
            box.addLayout(bar)
            self.lists[kind] = listing
            self.add_buttons[kind] = add
            self.remove_buttons[kind] = remove
            self.edit_buttons[kind] = edit
            self.tabs.addTab(page, self.tr(title))
        layout.addWidget(self.tabs, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def refresh(self) -> None:
        actor, vid = self.ctx.actor, self.volunteer_id
        self.ctx.executor.query(
            lambda s: load_record_lines(s, actor, vid),
            self._show,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )

    def _show(self, lines: object) -> None:
        assert isinstance(lines, dict)
        for kind, listing in self.lists.items():
            listing.clear()
            for record_id, text in lines.get(kind, []):
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, record_id)
                if text.endswith(("【已过期】", "【即将到期】")):
                    item.setForeground(Qt.GlobalColor.darkRed)
                listing.addItem(item)
            self.remove_buttons[kind].setEnabled(False)
            self.edit_buttons[kind].setEnabled(False)

    def add(self, kind: str) -> None:
        dialog = _FORMS[kind](self.ctx.executor, self.ctx.actor, self.volunteer_id, self)
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            self.changed = True
            self.refresh()

    def edit(self, kind: str) -> None:
        """Load the selected record's values on the DB thread, then open its form."""
        from wushe_desktop.volunteers.records import record_values

        item = self.lists[kind].currentItem()
        if item is None:
            return
        record_id: Any = item.data(Qt.ItemDataRole.UserRole)
        actor = self.ctx.actor

        def opened(values: object) -> None:
            assert isinstance(values, dict)
            dialog = _FORMS[kind](
                self.ctx.executor, actor, self.volunteer_id, self, record=(record_id, values)
            )
            if self.exec_dialog(dialog) and dialog.result_value is not None:
                self.changed = True
                self.refresh()

        self.ctx.executor.query(
            lambda s: record_values(s, actor, kind, record_id),
            opened,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )

    def remove(self, kind: str) -> None:
        from wushe_desktop.volunteers.records import remove_record

        item = self.lists[kind].currentItem()
        if item is None:
            return
        record_id: Any = item.data(Qt.ItemDataRole.UserRole)
        if not msgbox.question(self, self.tr("删除这条记录？\n%s") % item.text()):
            return
        actor = self.ctx.actor

        def done(_r: object) -> None:
            self.changed = True
            self.refresh()

        self.ctx.executor.query(
            lambda s: remove_record(s, actor, kind, record_id),
            done,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )
