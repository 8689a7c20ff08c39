"""Password hashing with argon2id, and the minimum a password must be."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from inventory.errors import InvalidValue

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    """An argon2id hash of the password, after checking it is long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            field="password",
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def use_fast_test_parameters() -> None:
    """Cheaper argon2id parameters, for test suites only (hashing stays real argon2id)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# A hash of nothing, checked against when the user does not exist, so that the time a failed
# sign-in takes does not tell whether the account exists.
DUMMY_HASH = _hasher.hash("rollout-no-such-user")
