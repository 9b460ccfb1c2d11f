"""Assigning a volunteer from any screen: on conflicts, a coordinator may give a reason and
assign anyway (the override is stored and audited); others see the conflicts and stop."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext

AskReason = Callable[[QWidget, str], str | None]


def ask_reason(parent: QWidget, text: str) -> str | None:
    """The override reason, or None when the user cancelled (tests replace this)."""
    value, ok = QInputDialog.getText(parent, "强制安排", text)
    return value.strip() if ok and value.strip() else None


def assign_volunteer(
    ctx: AppContext,
    parent: QWidget,
    shift_id: uuid.UUID,
    volunteer_id: uuid.UUID,
    *,
    via: str = "分派",
    on_done: Callable[[str], None],
    reason_asker: AskReason | None = None,
) -> None:
    """Assign (on the DB thread); ``on_done`` gets the one-line result for the status line."""
    from wushe_desktop.scheduling.assignments import AssignmentConflicts, assign

    actor = ctx.actor
    asker = reason_asker or ask_reason

    def run(reason: str) -> None:
        def work(session: object) -> str:
            from wushe_desktop.volunteers.models import Volunteer

            result = assign(session, actor, shift_id, volunteer_id, via=via, override_reason=reason)  # type: ignore[arg-type]
            volunteer = session.get(Volunteer, volunteer_id)  # type: ignore[attr-defined]
            return result.summary(volunteer.name if volunteer else "")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AssignmentConflicts) and not reason:
                overridable = all(c.overridable for c in exc.conflicts)
                if overridable and ctx.can(Resource.SHIFT, Action.APPROVE):
                    lines = "\n".join(f"· {c.message}" for c in exc.conflicts)
                    given = asker(
                        parent,
                        f"存在以下冲突：\n{lines}\n\n如确需安排，请填写原因（将记入审计日志）：",
                    )
                    if given:
                        run(given)
                    return
                msgbox.warning(parent, str(exc))
                return
            errors.show_error(parent, exc)

        ctx.executor.query(work, lambda text: on_done(str(text)), failed, parent=parent)

    run("")
