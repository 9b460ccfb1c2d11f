"""The command line: set-up, demo data, checks, backup/restore, Excel template/import/export."""
