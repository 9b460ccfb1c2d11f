"""Password hashing parameters, re-hash detection and the password rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from wushe_desktop.accounts import passwords
from wushe_desktop.infra.errors import ValidationError


@pytest.fixture(autouse=True)
def _restore_hasher() -> Iterator[None]:
    yield
    passwords.set_hasher(None)


def test_default_parameters_meet_owasp_minimum() -> None:
    passwords.set_hasher(None)
    params = extract_parameters(passwords.hash_password("abc12345"))
    assert params.type is Type.ID
    # OWASP Password Storage Cheat Sheet: argon2id with at least m=19 MiB, t=2, p=1.
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism >= 1


def test_hash_and_verify() -> None:
    passwords.set_hasher(passwords.cheap_hasher())
    stored = passwords.hash_password("abc12345")
    assert stored.startswith("$argon2id$")
    assert "abc12345" not in stored
    assert passwords.verify_password(stored, "abc12345")
    assert not passwords.verify_password(stored, "abc123456")
    assert stored != passwords.hash_password("abc12345")  # salted


def test_damaged_hash_is_a_mismatch_not_a_crash() -> None:
    passwords.set_hasher(passwords.cheap_hasher())
    assert not passwords.verify_password("not a hash", "abc12345")
    assert not passwords.verify_password("", "abc12345")
    assert passwords.needs_rehash("not a hash")


def test_needs_rehash_when_parameters_change() -> None:
    passwords.set_hasher(passwords.cheap_hasher())
    stored = passwords.hash_password("abc12345")
    assert not passwords.needs_rehash(stored)
    passwords.set_hasher(PasswordHasher(time_cost=2, memory_cost=8, parallelism=1))
    assert passwords.needs_rehash(stored)
    assert passwords.verify_password(stored, "abc12345")  # old hashes still verify


@pytest.mark.parametrize(
    "password",
    ["abc1234", "abcdefgh", "12345678", "", "        ", "汉字汉字汉字汉字1"],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="至少需要 8 个字符") as info:
        passwords.check_password_strength(password)
    assert info.value.field == "password"


def test_password_equal_to_username_is_refused() -> None:
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        passwords.check_password_strength("Wang2024", username="wang2024")


def test_too_long_and_padded_passwords_are_refused() -> None:
    with pytest.raises(ValidationError, match="不能超过 128"):
        passwords.check_password_strength("a1" * 65)
    with pytest.raises(ValidationError, match="首尾不能是空格"):
        passwords.check_password_strength(" abc12345")


@pytest.mark.parametrize("password", ["abc12345", "社工站Zz2024", "Pass word 9"])
def test_acceptable_passwords(password: str) -> None:
    passwords.check_password_strength(password, username="wang")
