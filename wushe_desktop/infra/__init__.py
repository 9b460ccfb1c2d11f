"""Shared infrastructure: database, paths, errors, progress, Excel helpers. No Qt here."""
