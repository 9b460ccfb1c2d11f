"""数据包 buttons of the 报表 page: a station's director exports the period's package; a
district user imports packages (each file in its own transaction) and sees the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from wushe_desktop.reports.periods import Period
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext

__all__ = ["export_package_dialog", "import_packages_dialog"]

FILTER = "五社联动数据包 (*.wspkg);;所有文件 (*)"
CONFLICTS_SHOWN = 20


def export_package_dialog(parent: QWidget, ctx: AppContext, period: Period) -> None:
    """Ask where to save, then export the station's package for ``period``."""
    station = ctx.station.name if ctx.station else "本站"
    default = str(Path.home() / "Documents" / f"{station}数据包{period.key}.wspkg")
    name, _ = QFileDialog.getSaveFileName(parent, "导出数据包", default, FILTER)
    if not name:
        return
    path = Path(name) if name.lower().endswith(".wspkg") else Path(name + ".wspkg")
    db, actor = ctx.db, ctx.actor

    def work(progress: Any, cancel: Any) -> Any:
        from wushe_desktop.exchange.package import export_package

        with db.transaction() as session:
            return export_package(session, actor, period, path, progress=progress, cancel=cancel)

    def done(summary: Any) -> None:
        msgbox.information(
            parent,
            f"已导出{summary.station}{period.label}的数据包：\n{summary.path}\n"
            f"共 {summary.rows:,} 条记录（本期变动的记录及其关联记录），"
            f"校验码 SHA-256 {summary.sha256[:16]}…\n请把文件报送区社工总站。",
        )

    ctx.executor.job(work, done, title="正在导出数据包…", parent=parent)


def import_packages_dialog(parent: QWidget, ctx: AppContext) -> None:
    """Choose package files and import them into this (district) database."""
    names, _ = QFileDialog.getOpenFileNames(parent, "导入站点数据包", str(Path.home()), FILTER)
    if not names:
        return
    db, actor = ctx.db, ctx.actor

    def work(progress: Any, cancel: Any) -> list[str]:
        from wushe_desktop.exchange.importer import import_package
        from wushe_desktop.infra.errors import Cancelled, WusheError

        lines: list[str] = []
        for index, name in enumerate(names):
            progress(index / len(names), f"正在导入 {Path(name).name}……")
            try:
                with db.transaction() as session:
                    report = import_package(session, actor, Path(name), cancel=cancel)
            except Cancelled:
                raise
            except WusheError as exc:
                lines.append(f"✗ {Path(name).name}：{exc}")
                continue
            lines.append(f"✓ {Path(name).name}：{report.summary()}")
            lines += [f"    冲突：{c.text()}" for c in report.conflicts[:CONFLICTS_SHOWN]]
            if len(report.conflicts) > CONFLICTS_SHOWN:
                lines.append(f"    ……另有 {len(report.conflicts) - CONFLICTS_SHOWN} 条冲突。")
        return lines

    def done(lines: Any) -> None:
        msgbox.information(parent, "\n".join(lines), title="导入数据包")

    ctx.executor.job(work, done, title="正在导入数据包…", parent=parent)
