"""First-run wizard: create the station and its first director, then demo data or a blank start.

Shown when the database has no station. Each page checks its fields as the user types;
the station is created (and the director signed in) on the DB thread when 完成 is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from wushe_desktop import APP_TITLE
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import ValidationError, WusheError
from wushe_desktop.infra.progress import CancelToken, Progress
from wushe_desktop.ui import errors
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.workers import DbExecutor


@dataclass(frozen=True)
class StationAnswers:
    name: str
    township: str
    district: str
    code: str
    username: str
    display_name: str
    password: str
    load_demo: bool


def create_and_sign_in(executor: DbExecutor, answers: StationAnswers) -> Actor:
    """Runs on the DB thread: create station + director, then sign the director in."""
    from wushe_desktop.accounts.service import sign_in
    from wushe_desktop.stations.service import create_station

    with executor.db.transaction() as session:
        create_station(
            session,
            name=answers.name,
            township=answers.township,
            district=answers.district,
            code=answers.code,
            admin_username=answers.username,
            admin_password=answers.password,
            admin_display_name=answers.display_name,
        )
    return sign_in(executor.db, answers.username, answers.password)


def load_demo(executor: DbExecutor, progress: Progress, cancel: CancelToken) -> object:
    """Runs on the DB thread: fill the new station with the small demo data set."""
    from wushe_desktop.demo.generate import generate_demo

    return generate_demo(executor.db, scale="small", seed=1, progress=progress, cancel=cancel)


def _line(max_length: int, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


class StationPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("第 1 步：工作站信息"))
        self.setSubTitle(self.tr("这些信息会出现在报表和导出文件上，以后可在“设置”中修改。"))
        form = QFormLayout(self)
        self.name = _line(100, self.tr("例如：清河街道社会工作服务站"))
        self.township = _line(100, self.tr("例如：清河街道"))
        self.district = _line(100, self.tr("例如：淮安市清江浦区"))
        self.code = _line(40, self.tr("由区民政局分配的站点编码，可填写行政区划代码"))
        form.addRow(self.tr("工作站名称*："), self.name)
        form.addRow(self.tr("乡镇（街道）*："), self.township)
        form.addRow(self.tr("所属区（县）："), self.district)
        form.addRow(self.tr("站点编码*："), self.code)
        self.error = ErrorLabel()
        form.addRow(self.error)
        for edit in (self.name, self.township, self.district, self.code):
            edit.textChanged.connect(self._check)

    def problem(self) -> str:
        if not self.name.text().strip():
            return self.tr("请填写工作站名称。")
        if not self.township.text().strip():
            return self.tr("请填写乡镇（街道）名称。")
        code = self.code.text().strip()
        if not code:
            return self.tr("请填写站点编码。")
        if not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in code):
            return self.tr("站点编码只能包含字母、数字和“-”。")
        return ""

    def _check(self) -> None:
        problem = self.problem()
        touched = any(e.isModified() for e in (self.name, self.township, self.code))
        if problem and touched:
            self.error.show_message(problem)
        else:
            self.error.clear_message()
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return not self.problem()


class DirectorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("第 2 步：站长账户"))
        self.setSubTitle(
            self.tr("站长可以管理用户、查看审计日志。密码至少 8 位，须同时包含字母和数字。")
        )
        form = QFormLayout(self)
        self.username = _line(50, self.tr("登录用的名字，例如 zhangsan"))
        self.display_name = _line(50, self.tr("真实姓名，例如 张三"))
        self.password = _line(128)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = _line(128)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("用户名*："), self.username)
        form.addRow(self.tr("姓名*："), self.display_name)
        form.addRow(self.tr("密码*："), self.password)
        form.addRow(self.tr("再次输入密码*："), self.password2)
        self.error = ErrorLabel()
        form.addRow(self.error)
        for edit in (self.username, self.display_name, self.password, self.password2):
            edit.textChanged.connect(self._check)

    def problem(self) -> str:
        from wushe_desktop.accounts.passwords import check_password_strength

        username = self.username.text().strip()
        if not username:
            return self.tr("请填写用户名。")
        if any(ch.isspace() for ch in username):
            return self.tr("用户名不能包含空格。")
        if not self.display_name.text().strip():
            return self.tr("请填写站长姓名。")
        try:
            check_password_strength(self.password.text(), username=username)
        except ValidationError as exc:
            return str(exc)
        if self.password.text() != self.password2.text():
            return self.tr("两次输入的密码不一致。")
        return ""

    def _check(self) -> None:
        problem = self.problem()
        touched = any(e.isModified() for e in (self.username, self.display_name, self.password))
        if problem and touched:
            self.error.show_message(problem)
        else:
            self.error.clear_message()
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return not self.problem()


class DataPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("第 3 步：开始使用"))
        self.setSubTitle(self.tr("选择从空白开始，或先载入一套演示数据熟悉功能。"))
        layout = QVBoxLayout(self)
        self.blank = QRadioButton(self.tr("从空白开始（正式使用请选这一项）"))
        self.demo = QRadioButton(self.tr("载入演示数据（虚构的社区、网格和居民，便于试用和培训）"))
        self.blank.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.blank)
        group.addButton(self.demo)
        layout.addWidget(self.blank)
        layout.addWidget(self.demo)
        note = QLabel(
            self.tr("演示数据中的姓名、身份证号和电话均为虚构。正式使用前，建议新建一个数据库。")
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        self.error = ErrorLabel()
        layout.addWidget(self.error)

    def validatePage(self) -> bool:
        return self._wizard.finish_requested()


class FirstRunWizard(QWizard):
    """Collects the answers; on 完成 creates the station, signs in, optionally loads the demo."""

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.actor: Actor | None = None
        self._busy = False
        self.setWindowTitle(self.tr("欢迎使用%s — 首次设置") % APP_TITLE)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.station_page = StationPage()
        self.director_page = DirectorPage()
        self.data_page = DataPage(self)
        self.addPage(self.station_page)
        self.addPage(self.director_page)
        self.addPage(self.data_page)
        self.setMinimumSize(640, 460)

    def answers(self) -> StationAnswers:
        st, dp = self.station_page, self.director_page
        return StationAnswers(
            name=st.name.text().strip(),
            township=st.township.text().strip(),
            district=st.district.text().strip(),
            code=st.code.text().strip(),
            username=dp.username.text().strip(),
            display_name=dp.display_name.text().strip(),
            password=dp.password.text(),
            load_demo=self.data_page.demo.isChecked(),
        )

    def finish_requested(self) -> bool:
        """First 完成 starts the work and returns False; the wizard closes when it is done."""
        if self.actor is not None:
            return True
        if self._busy:
            return False
        answers = self.answers()
        self._set_busy(True)
        self.data_page.error.show_info(self.tr("正在创建工作站…"))
        self._executor.run_in_background(
            lambda _op: create_and_sign_in(self._executor, answers),
            lambda actor: self._on_created(actor, answers),
            self._on_failed,
            parent=self,
        )
        return False

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for which in (
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(not busy)

    def _on_created(self, actor: object, answers: StationAnswers) -> None:
        assert isinstance(actor, Actor)
        if not answers.load_demo:
            self._done(actor)
            return
        self.data_page.error.show_info(self.tr("正在载入演示数据…"))
        self._executor.job(
            lambda p, c: load_demo(self._executor, p, c),
            lambda _r: self._done(actor),
            lambda exc: self._on_demo_failed(actor, exc),
            title=self.tr("正在载入演示数据…"),
            parent=self,
        )

    def _on_demo_failed(self, actor: Actor, exc: BaseException) -> None:
        errors.show_error(self, exc)
        self._done(actor)  # the station exists; an empty start is still usable

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self._busy = False
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WusheError):
            self.data_page.error.show_message(str(exc))
            field = getattr(exc, "field", None)
            if field in {"name", "township", "district", "code"}:
                self.restart()
        else:
            self.data_page.error.clear_message()
            errors.show_error(self, exc)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    @classmethod
    def ask(cls, executor: DbExecutor, parent: QWidget | None = None) -> Actor | None:
        """Run the wizard; the signed-in director, or None if the user cancelled."""
        wizard = cls(executor, parent)
        wizard.exec()
        return wizard.actor
