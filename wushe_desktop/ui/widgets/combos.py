"""Combo box helpers: ``findData`` compares Python objects (UUIDs) by identity, not value."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def find_data(combo: QComboBox, value: object) -> int:
    """Index of the item whose data equals ``value`` (by ``==``), or -1."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            return i
    return -1


def select_data(combo: QComboBox, value: object) -> bool:
    """Select the item with data ``value``; the first item when there is none."""
    index = find_data(combo, value)
    combo.setCurrentIndex(max(0, index))
    return index >= 0
