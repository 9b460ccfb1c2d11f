"""Password hashing (argon2id) and the password rule.

Parameters follow OWASP's Password Storage Cheat Sheet and RFC 9106's low-memory profile:
argon2id, t=3, m=64 MiB, p=2 — above OWASP's minimum (m=19 MiB, t=2, p=1) and about 0.1 s
per hash on a two-core office PC (OWASP: "less than one second"). The PHC string stores
the parameters, so raising them later re-hashes each password at its next sign-in
(``needs_rehash``).
"""

from __future__ import annotations

import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from wushe_desktop.infra.errors import ValidationError

TIME_COST = 3
MEMORY_COST_KIB = 64 * 1024
PARALLELISM = 2

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 accepts more, but a megabyte "password" is an attack, not a password

_DEFAULT = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)
_hasher: PasswordHasher = _DEFAULT


def set_hasher(hasher: PasswordHasher | None) -> None:
    """Swap the hasher (tests use ``cheap_hasher()`` to stay fast); ``None`` restores it."""
    global _hasher  # noqa: PLW0603 - one process-wide setting, swapped only by tests
    _hasher = hasher if hasher is not None else _DEFAULT


def cheap_hasher() -> PasswordHasher:
    """A deliberately weak argon2id hasher for tests only (about a millisecond)."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def current_hasher() -> PasswordHasher:
    return _hasher


def hash_password(password: str) -> str:
    """The PHC string (algorithm, parameters, salt, hash) to store for ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; False for a mismatch or a damaged stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


_LETTERS = frozenset(string.ascii_letters)
_DIGITS = frozenset(string.digits)


def check_password_strength(password: str, *, username: str | None = None) -> None:
    """Raise ``ValidationError(field="password")`` unless the password meets the station's rule.

    The rule: 8 to 128 characters, at least one letter and one digit, not the user name.
    """
    if len(password) < MIN_LENGTH or not (
        _LETTERS.intersection(password) and _DIGITS.intersection(password)
    ):
        raise ValidationError(
            f"密码至少需要 {MIN_LENGTH} 个字符，且必须同时包含字母和数字。", field="password"
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"密码不能超过 {MAX_LENGTH} 个字符。", field="password")
    if password.strip() != password:
        raise ValidationError("密码首尾不能是空格。", field="password")
    if username and password.casefold() == username.strip().casefold():
        raise ValidationError("密码不能与用户名相同。", field="password")
