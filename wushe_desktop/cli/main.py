"""Runs a command-line command, or the GUI when there is none.

Exit status: 0 success, 1 something was rejected, 2 usage error. Every error is one Chinese
line on stderr; an unexpected error writes its traceback to the log file, not the screen.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

from wushe_desktop.cli.parser import EXIT_REJECTED, EXIT_USAGE, UsageError, build_parser
from wushe_desktop.infra.errors import WusheError

log = logging.getLogger(__name__)


def _error(message: str) -> None:
    print(message, file=sys.stderr)


def run(argv: list[str], gui: Callable[[str | None], int] | None = None) -> int:
    """Run ``argv``; with no command, hand over to ``gui(db_arg)`` (the app passes the GUI)."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    if not args.command:
        if gui is None:
            _error("未指定命令。运行 “wushe-desktop --help” 查看用法。")
            return EXIT_USAGE
        return gui(args.db)
    from wushe_desktop.cli import commands

    try:
        return commands.dispatch(args)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except WusheError as exc:
        _error(f"错误：{exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _error("已中断，未完成的操作没有写入。")
        return EXIT_REJECTED
    except Exception as exc:
        path = _write_crash_log()
        _error(f"内部错误（{type(exc).__name__}: {exc}），详情已写入 {path}，请反馈给开发人员。")
        return EXIT_REJECTED


def _write_crash_log() -> str:
    from wushe_desktop import paths

    path = paths.data_dir() / "error.log"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
        fh.write("\n")
    return str(path)
