"""Residents (服务对象): identity, key-group tags, consent, search, import and export."""
