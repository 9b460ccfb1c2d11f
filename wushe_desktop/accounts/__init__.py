"""Users, roles, passwords, sign-in and the permission matrix."""
