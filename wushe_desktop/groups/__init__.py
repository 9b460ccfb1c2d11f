"""小组工作: groups with a plan, members, sessions (节) with attendance, closing evaluation."""
