"""Errors the user can act on, each with one clear Chinese message.

A ``WusheError`` is a *known* error (bad input, missing right, conflict, environment);
the GUI and the command line show its message as is. Anything else is a bug.
"""

from __future__ import annotations


class WusheError(Exception):
    """A known error whose ``str()`` is a complete Chinese sentence for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(WusheError):
    """Input that breaks a rule; ``field`` names the form field or column."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(WusheError):
    """The signed-in user's role does not allow this action."""


class NotFound(WusheError):
    """The record does not exist, was deleted, or belongs to another station."""


class ConflictError(WusheError):
    """A duplicate, or a record changed by someone else since it was read."""


class AuthError(WusheError):
    """Sign-in failed or the account is locked or disabled."""


class Cancelled(WusheError):
    """The user cancelled a long-running job; nothing was written."""

    def __init__(self, message: str = "操作已取消，未写入任何数据。") -> None:
        super().__init__(message)


class DatabaseError(WusheError):
    """The database cannot be used as asked (network share, newer version, locked, damaged)."""
