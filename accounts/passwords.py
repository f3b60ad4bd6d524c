"""Password hashing with argon2id (argon2-cffi's PasswordHasher, its RFC 9106 low-memory profile as
default), and what a new password must be (pure)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The argon2id hash (salt and parameters included, ``$argon2id$v=19$m=…``)."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash; False for no hash (an account of the identity
    provider) or a damaged one. Takes as long for a missing account (pass ``None``)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with older parameters (rehash at the next successful login)."""
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def password_problems(password: str, username: str = "") -> list[tuple[str, str]]:
    """What is wrong with a new password, in Chinese and English (empty: it will do): at least
    MIN_LENGTH characters, letters and digits, not the user name."""
    out: list[tuple[str, str]] = []
    if len(password) < MIN_LENGTH:
        out.append(
            (
                f"至少 {MIN_LENGTH} 个字符（现为 {len(password)} 个）",
                f"expected at least {MIN_LENGTH} characters, got {len(password)}",
            )
        )
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        out.append(("须同时包含字母和数字", "expected both letters and digits"))
    if username and username.lower() in password.lower():
        out.append(("不能包含用户名", "expected a password without the user name in it"))
    return out


def random_password() -> str:
    """A random password that meets the rules (16 characters: letters, digits, - and _)."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if not password_problems(candidate):
            return candidate
