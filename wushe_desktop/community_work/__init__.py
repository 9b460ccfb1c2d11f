"""What visits, group work and community activities share: checks, look-ups, service records."""
