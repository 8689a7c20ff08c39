"""Password hashing with argon2id, and what a new password must be: long enough and hard to
guess (zxcvbn's estimate, which knows common passwords, names, keyboard rows and repeats)."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from inventory.errors import InvalidValue

MIN_PASSWORD_LENGTH = 10
MIN_STRENGTH = 3  # zxcvbn's score from 0 to 4; 3 is "safely unguessable" online
STRENGTH_CHECKED_LENGTH = 72  # zxcvbn reads at most this much; longer passwords add to it
NO_FEEDBACK = {"warning": "", "suggestions": []}
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def check_new_password(password: str, *, personal: Iterable[str | None] = ()) -> None:
    """Refuse a new password that is too short or too easy to guess, saying why; `personal`
    is what an attacker knows of the user (user name, full name, e-mail)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            field="password",
        )
    words = _personal_words(personal)
    result = zxcvbn(password[:STRENGTH_CHECKED_LENGTH], user_inputs=words)
    mine = [word for word in words if len(word) >= 3 and word in password.lower()]
    if mine:  # what is left once the user's own names are taken out must be strong by itself
        rest = _without(password.lower(), mine)[:STRENGTH_CHECKED_LENGTH]
        rest_result = zxcvbn(rest) if rest else {"score": 0, "feedback": NO_FEEDBACK}
        result = min(result, rest_result, key=lambda checked: checked["score"])
    if result["score"] >= MIN_STRENGTH:
        return
    reasons = [result["feedback"]["warning"]]
    if mine:
        reasons.append("It contains the user name, full name or e-mail.")
    reasons += result["feedback"]["suggestions"]
    reasons = [reason for reason in reasons if reason] or [
        "Use a longer password, for example a few unrelated words."
    ]
    raise InvalidValue("This password is too easy to guess. " + " ".join(reasons), field="password")


def _without(text: str, words: list[str]) -> str:
    """The text with each of the words taken out, longest first."""
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def _personal_words(values: Iterable[str | None]) -> list[str]:
    """Each value, and each word in it, in lower case (`Pat Planner` → pat, planner)."""
    words: list[str] = []
    for value in values:
        text = (value or "").strip().lower()
        if text:
            pieces = text.replace("@", " ").replace(".", " ").replace("-", " ").split()
            words += [text, *pieces]
    return list(dict.fromkeys(words))


def hash_password(password: str) -> str:
    """An argon2id hash of the password (checked with check_new_password first when new)."""
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
