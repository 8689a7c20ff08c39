"""Searchable choices for forms: a few sites or models matching what was typed, labels people
read ("LIN01 — Lincoln Elementary", "Cisco C9200-24P — Catalyst 9200"), and the typed text back
to the object (a label picked from the suggestions, or a site code or part number typed by hand,
so the forms work without JavaScript too)."""

from __future__ import annotations

import re

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from inventory.enums import SiteStatus
from inventory.models import AssetModel, Manufacturer, Site, User
from inventory.operations.catalog import find_model
from inventory.queries.scope import scoped
from inventory.queries.search import contains

SUGGESTIONS = 20
SEPARATOR = " — "
MAX_WORDS = 6


def site_label(code: str, name: str) -> str:
    """How a site reads in a picker: 'LIN01 — Lincoln Elementary'."""
    return f"{code}{SEPARATOR}{name}"


def model_label(manufacturer: str, part_number: str, name: str | None) -> str:
    """How a model reads: manufacturer and part number, then what its name adds ('Cisco MR33',
    not 'Cisco MR33 MR33'; 'Cisco MR36 — Meraki' for a model named 'Meraki MR36')."""
    extra = name or ""
    for said in (manufacturer, part_number):  # the head says these already
        extra = re.sub(rf"(?<!\w){re.escape(said)}(?!\w)", " ", extra, count=1, flags=re.I)
    extra = " ".join(extra.split()).strip(" ,-\u2013\u2014")  # dashes left behind
    head = f"{manufacturer} {part_number}"
    return f"{head}{SEPARATOR}{extra}" if extra else head


def _words(term: str) -> list[str]:
    """The first few words typed (each must match somewhere); a picked label's dash is not a
    word."""
    return [word for word in term.split() if word.strip("-\u2013\u2014")][:MAX_WORDS]


def site_suggestions(session: Session, user: User, term: str) -> list[str]:
    """Labels of the open sites the user sees whose code, name or city holds every word typed:
    codes that start with the first word first, then by name."""
    words = _words(term)
    if not words:
        return []
    query: Select = select(Site.code, Site.name).where(Site.status != SiteStatus.CLOSED)
    for word in words:
        query = query.where(contains(word, Site.code, Site.name, Site.city))
    code_first = case(
        (func.lower(Site.code).startswith(words[0].lower(), autoescape=True), 0), else_=1
    )
    query = query.order_by(code_first, Site.name, Site.code).limit(SUGGESTIONS)
    query = scoped(query, user, Site.id)
    return [site_label(code, name) for code, name in session.execute(query)]


def model_suggestions(session: Session, term: str) -> list[str]:
    """Labels of the models offered for new assets whose manufacturer, part number or name
    holds every word typed."""
    words = _words(term)
    if not words:
        return []
    query: Select = (
        select(Manufacturer.name, AssetModel.part_number, AssetModel.name)
        .join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id)
        .where(AssetModel.is_active)
    )
    for word in words:
        query = query.where(
            contains(word, Manufacturer.name, AssetModel.part_number, AssetModel.name)
        )
    query = query.order_by(Manufacturer.name, AssetModel.part_number).limit(SUGGESTIONS)
    return [model_label(*row) for row in session.execute(query)]


def site_from_text(session: Session, user: User, text: str) -> Site | None:
    """The site the user sees that a picker's text names: a label, a code, or a site's name
    (when only one site has it); None when none does."""
    typed = text.strip()
    code = typed.split(SEPARATOR)[0].strip()
    for condition in (Site.code == code, func.lower(Site.code) == code.lower()):
        site = session.scalar(scoped(select(Site).where(condition).limit(1), user, Site.id))
        if site is not None:
            return site
    named = select(Site).where(func.lower(Site.name) == typed.lower()).limit(2)
    matches = list(session.scalars(scoped(named, user, Site.id)))
    return matches[0] if len(matches) == 1 else None


def model_from_text(session: Session, text: str) -> AssetModel | None:
    """The model a picker's text names: a label ('Cisco C9200-24P — ...'), a manufacturer and
    part number, or a part number or name that only one model has; None when none does."""
    typed = text.split(SEPARATOR)[0].strip()
    words = typed.split()
    for split in range(1, min(len(words), MAX_WORDS)):
        maker, rest = " ".join(words[:split]), " ".join(words[split:])
        found = find_model(session, maker, rest)
        if found is not None:
            return found
    return find_model(session, None, typed) if typed else None
