"""Stations, their communities (社区/村) and grids (网格)."""
