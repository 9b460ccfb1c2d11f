"""Volunteer registry: volunteers, teams, skills, availability, records and settings."""
