"""Signing in and out, and loading the signed-in user."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from app.db import get_session
from inventory.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


def init_app(app: Flask) -> None:
    """Attach Flask-Login to the app."""
    login_manager.init_app(app)


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """The active user whose id and session token match the session cookie."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user
