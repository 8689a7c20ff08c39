"""Domain errors: raised by operations, turned into form errors or messages by the app."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused an operation; the message is fit to show to a user."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class NotFound(DomainError):
    """The object asked for does not exist (or is not visible to the user)."""


class Duplicate(DomainError):
    """A value that must be unique is already used."""


class InvalidValue(DomainError):
    """A value breaks a rule of the domain."""


class LoginThrottled(DomainError):
    """Too many failed logins: the account or address must wait."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(f"Too many failed sign-in attempts. Try again in {wait_seconds} seconds.")
        self.wait_seconds = wait_seconds


class InvalidCredentials(DomainError):
    """The user name or password is wrong, or the account is disabled."""

    def __init__(self) -> None:
        super().__init__("Invalid user name or password.")


class StaleEdit(DomainError):
    """Someone else saved the object after this form was opened; nothing was overwritten."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"{label} was changed by someone else after you opened this form. Your changes were "
            "not saved; check the current values and save again."
        )


class WrongState(DomainError):
    """The request cannot be done in the object's present state (a run already going, a
    scenario that is not a draft)."""
