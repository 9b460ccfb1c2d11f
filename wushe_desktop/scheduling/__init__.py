"""Volunteer scheduling: activities, shifts, assignments, check-in, hours and certificates."""
