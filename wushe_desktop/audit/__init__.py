"""The audit log: every change, sensitive view, print, export and sign-in event."""
