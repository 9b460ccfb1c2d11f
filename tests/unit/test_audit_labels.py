"""Every record type the services write to the audit log has a Chinese label for the viewer."""

from __future__ import annotations

import re
from pathlib import Path

import wushe_desktop
from wushe_desktop.audit.text import RECORD_TYPES

PACKAGE = Path(wushe_desktop.__file__).parent
_LITERAL = re.compile(r'record_type="([a-z_]+)"')
_CONSTANT = re.compile(r'^[A-Z_]*RECORD(?:_TYPE)?\s*(?::\s*str)?\s*=\s*"([a-z_]+)"', re.M)


def test_every_audited_record_type_has_a_label() -> None:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used.update(_LITERAL.findall(text))
        used.update(_CONSTANT.findall(text))
    assert used, "the scan found no record types"
    assert sorted(used - set(RECORD_TYPES)) == []
