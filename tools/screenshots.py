"""Grab every page and dialog of the GUI to PNG, with demo data, at two screen sizes.

    uv run python tools/screenshots.py [--out DIR] [--scale small] [--readme]

Builds a demo database in a temporary folder, signs in as the demo director and saves
``<out>/<width>x<height>/<name>.png``. ``--readme`` also writes the two small README images
``docs/screenshots/residents.png`` and ``docs/screenshots/dashboard.png`` (1366×768).
Runs offscreen; nothing touches the user's own data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["WUSHE_HOME"] = tempfile.mkdtemp(prefix="wushe_shots_")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

PASSWORD = "Demo12345"
SIZES = ((1366, 768), (1920, 1080))


def settle(app: QApplication, executor: Any, rounds: int = 6) -> None:
    """Let background queries finish and their results paint."""
    for _ in range(rounds):
        executor.wait_idle()
        app.processEvents()


def save(widget: QWidget, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path), "PNG")


def save_small(widget: QWidget, path: Path) -> None:
    """A README-sized PNG: 256-colour palette, best compression."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = (
        widget.grab()
        .toImage()
        .convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path), "PNG", 9)


def build_demo(scale: str) -> Path:
    from wushe_desktop.demo.generate import generate_demo
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.infra.db.migrate import upgrade

    os.environ["WUSHE_ADMIN_PASSWORD"] = PASSWORD
    path = Path(tempfile.mkdtemp(prefix="wushe_demo_")) / "demo.db"
    db = Database.open(path)
    upgrade(db)
    generate_demo(db, scale=scale, seed=1)
    db.dispose()
    return path


def dialogs(ctx: Any, window: Any) -> list[tuple[str, Callable[[], QDialog]]]:
    """Factories for every dialog, filled the way a worker would see them."""
    from wushe_desktop.ui.dialogs.change_password import ChangePasswordDialog
    from wushe_desktop.ui.dialogs.community_edit import CommunityDialog
    from wushe_desktop.ui.dialogs.consent import ConsentDialog
    from wushe_desktop.ui.dialogs.export import ExportDialog
    from wushe_desktop.ui.dialogs.first_run import FirstRunWizard
    from wushe_desktop.ui.dialogs.grid_edit import GridDialog
    from wushe_desktop.ui.dialogs.lock import LockDialog
    from wushe_desktop.ui.dialogs.resident_edit import ResidentDialog
    from wushe_desktop.ui.dialogs.resident_import_export import ResidentImportDialog
    from wushe_desktop.ui.dialogs.sign_in import SignInDialog
    from wushe_desktop.ui.dialogs.user_edit import ResetPasswordDialog, UserDialog

    residents = window.page("residents")
    communities = window.page("communities")
    ex, actor = ctx.executor, ctx.actor

    def resident_new() -> QDialog:
        dlg = ResidentDialog(ex, actor, residents.places)
        dlg.name.insert("欧阳娜娜")
        dlg.id_number.insert("32080219800101123")
        dlg.community.setCurrentIndex(1)
        dlg._changed()
        dlg.check()
        return dlg

    def resident_edit() -> QDialog:
        from wushe_desktop.residents.service import get_resident

        row = residents.current_row()
        with ctx.db.reader() as s:
            full = get_resident(s, actor, row.id, reveal=True)
        return ResidentDialog(ex, actor, residents.places, full)

    def export() -> QDialog:
        return ExportDialog(
            ex,
            ctx.settings,
            title="导出居民名单",
            stem="居民名单",
            run=lambda *_a: 0,
            scope_text=residents.describe_filter(),
            sensitive=True,
            full_allowed=True,
        )

    def first_run() -> QDialog:
        wizard = FirstRunWizard(ex)
        wizard.station_page.name.setText("清河街道社会工作服务站")
        return wizard

    community = communities.current_community()
    return [
        ("sign_in", lambda: SignInDialog(ex, ctx.settings)),
        ("first_run", first_run),
        ("lock", lambda: LockDialog(ex, actor)),
        ("change_password", lambda: ChangePasswordDialog(ex, actor, forced=True)),
        ("resident_new", resident_new),
        ("resident_edit", resident_edit),
        ("consent", lambda: ConsentDialog(ex, actor, residents.current_row())),
        ("community_edit", lambda: CommunityDialog(ex, actor, community)),
        (
            "grid_new",
            lambda: GridDialog(ex, actor, community_id=community.id, community_name=community.name),
        ),
        ("export", export),
        ("import", lambda: ResidentImportDialog(ctx)),
        ("user_new", lambda: UserDialog(ex, actor)),
        ("reset_password", lambda: ResetPasswordDialog(ex, actor, _first_user(ctx))),
    ]


def _first_user(ctx: Any) -> Any:
    from wushe_desktop.accounts.service import list_users

    with ctx.db.reader() as s:
        return list_users(s, ctx.actor)[0]


def _extra_views(app: QApplication, executor: Any, window: Any, folder: Path) -> None:
    """User management, the recycle bin and a resident's history."""
    settings_page: Any = window.page("settings")
    if settings_page.users_page is not None:
        window.show_page("settings")
        settings_page.tabs.setCurrentWidget(settings_page.users_page)
        settle(app, executor)
        save(window, folder / "page_settings_users.png")
    residents: Any = window.show_page("residents")
    residents.recycle_button.setChecked(True)
    settle(app, executor)
    save(window, folder / "page_residents_recycle_bin.png")
    residents.recycle_button.setChecked(False)
    settle(app, executor)
    residents.table.selectRow(2)
    residents.detail.tabs.setCurrentIndex(2 if residents.detail.tabs.count() > 2 else 0)
    settle(app, executor)
    save(window, folder / "page_residents_history.png")
    residents.detail.tabs.setCurrentIndex(0)


def shoot(db_path: Path, out: Path, readme: bool) -> list[Path]:
    from wushe_desktop.accounts.service import sign_in
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.ui.context import AppContext
    from wushe_desktop.ui.main import make_application, station_label_call
    from wushe_desktop.ui.main_window import MainWindow
    from wushe_desktop.ui.settings import UiSettings
    from wushe_desktop.ui.workers import DbExecutor

    app = make_application()
    db = Database.open(db_path)
    executor = DbExecutor(db)
    actor = sign_in(db, "zhanzhang", PASSWORD)
    with db.reader() as s:
        station, _ = station_label_call(s, actor)
    written: list[Path] = []
    for width, height in SIZES:
        settings = UiSettings(Path(tempfile.mkdtemp()) / "ui.ini")
        ctx = AppContext(db, executor, settings, actor, station)
        window = MainWindow(ctx)
        window.resize(QSize(width, height))
        window.show()
        folder = out / f"{width}x{height}"
        for row, entry in enumerate(window.entries):
            window.nav.setCurrentRow(row)
            settle(app, executor)
            target = folder / f"page_{row:02d}_{entry.key}.png"
            save(window, target)
            written.append(target)
            if readme and width == 1366 and entry.key in ("dashboard", "residents"):
                small = ROOT / "docs" / "screenshots" / f"{entry.key}.png"
                small.parent.mkdir(parents=True, exist_ok=True)
                save_small(window, small)
                written.append(small)
        _extra_views(app, executor, window, folder)
        if width == SIZES[0][0]:
            for name, make in dialogs(ctx, window):
                dlg = make()
                dlg.show()
                settle(app, executor)
                target = out / "dialogs" / f"{name}.png"
                save(dlg, target)
                written.append(target)
                dlg.close()
                dlg.deleteLater()
        window.close()
    executor.shutdown()
    db.dispose()
    return written


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "all")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--db", type=Path, help="reuse a demo database instead of building one")
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    db_path = args.db or build_demo(args.scale)
    for path in shoot(db_path, args.out, args.readme):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
