"""``certificate --volunteer ID_NUMBER --from DATE --to DATE --out FILE.pdf``.

Issues (registers and prints) a volunteer service certificate from the command line.
Module-level imports stay light: the parser imports this module for ``--help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

__all__ = ["add_certificate_parser", "cmd_certificate"]


def add_certificate_parser(
    sub: argparse._SubParsersAction,
    date_arg: Callable[[str], date],
    add_user_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    cert = sub.add_parser("certificate", help="出具志愿服务证明（PDF，登记编号以便核验与补打）")
    cert.add_argument("--volunteer", required=True, help="志愿者的证件号码")
    cert.add_argument("--doc-type", default="居民身份证", help="证件类型（默认：居民身份证）")
    cert.add_argument(
        "--from", dest="date_from", required=True, type=date_arg, help="服务期间起始日期"
    )
    cert.add_argument(
        "--to", dest="date_to", required=True, type=date_arg, help="服务期间截止日期（含当日）"
    )
    cert.add_argument("--out", required=True, help="输出的 .pdf 文件")
    add_user_args(cert)


def cmd_certificate(args: argparse.Namespace) -> int:
    from wushe_desktop.cli.commands import open_database, sign_in_from_args
    from wushe_desktop.cli.parser import EXIT_OK
    from wushe_desktop.infra.errors import NotFound
    from wushe_desktop.scheduling.certificate_pdf import render_certificate
    from wushe_desktop.scheduling.certificates import issue_certificate
    from wushe_desktop.volunteers.service import find_by_document

    out = Path(args.out)
    with open_database(args, lock=True) as db:
        actor = sign_in_from_args(db, args)
        with db.transaction() as session:
            found = find_by_document(session, actor, args.doc_type, args.volunteer)
            if found is None:
                raise NotFound("本站没有登记该证件号码的志愿者，请核对证件号码。")
            content = issue_certificate(session, actor, found.id, args.date_from, args.date_to)
            # Printed inside the unit of work: a failed print leaves no registered number.
            render_certificate(content, out)
    print(
        f"已出具志愿服务证明 {content.serial}：{content.name}，"
        f"{content.total_hours} 小时（{content.services} 次）；文件：{out}",
        flush=True,
    )
    return EXIT_OK
