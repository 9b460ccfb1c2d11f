"""Entry point ``wushe-desktop``: a command runs on the command line, no command opens the GUI."""

from __future__ import annotations

import sys


def _gui(db_arg: str | None) -> int:
    from wushe_desktop.ui.main import run_gui

    return run_gui(db_arg)


def main(argv: list[str] | None = None) -> int:
    from wushe_desktop.cli.main import run

    return run(sys.argv[1:] if argv is None else argv, gui=_gui)


if __name__ == "__main__":
    sys.exit(main())
