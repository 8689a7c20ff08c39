"""Signing in and out, and loading the signed-in user from the sign-in its cookie names."""

from __future__ import annotations

from flask import Flask, request
from flask_login import LoginManager, current_user

from app.db import get_session
from inventory.models import User
from inventory.operations.authentication import signed_in_user

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


def init_app(app: Flask) -> None:
    """Attach Flask-Login to the app; the user is loaded before every view."""
    login_manager.init_app(app)
    app.before_request(_load_user_first)


def _load_user_first() -> None:
    """Load the signed-in user before the view does anything, so that the loader's short
    transaction (it may write the sign-in's last-seen time) never commits a view's work."""
    if request.endpoint and request.endpoint.rsplit(".", 1)[-1] != "static":
        current_user._get_current_object()


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """The active user of the live sign-in the session or remember-me cookie names."""
    session = get_session()
    user = signed_in_user(session, user_key)
    session.commit()
    return user
