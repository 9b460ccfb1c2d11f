"""Deterministic demo data (``wushe-desktop demo``): a 淮安 township with its communities,
grids, staff and residents; later rooms add their records as further steps."""
