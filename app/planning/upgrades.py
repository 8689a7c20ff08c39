"""The upgrade catalogue: upgrade types (readers see them, editors change them) and the trades
of crews they need (editors)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import get_or_404, get_session
from app.forms import choices
from app.pages import cents_to_dollars, dollars_to_cents, show_error
from app.planning.common import EDITORS, READERS
from app.planning.upgrades_forms import (
    TradeForm,
    UpgradeTypeForm,
    stale_differences,
    upgrade_type_form,
)
from app.security import role_required
from inventory.errors import DomainError, StaleEdit
from inventory.models import System, Trade, UpgradeType
from inventory.operations import upgrades as ops
from inventory.queries import upgrades as queries

bp = Blueprint("upgrades", __name__, url_prefix="/planning/catalogue")
MONEY = {"fixed_cost": "fixed_cost_cents", "per_asset_cost": "per_asset_cost_cents",
         "per_student_cost": "per_student_cost_cents"}  # fmt: skip
PLAIN = ("code", "name", "description", "duration_months", "is_disruptive", "value_weight",
         "replaces_end_of_life", "coverage_min_assets", "coverage_students_per_asset",
         "is_erate_eligible")  # fmt: skip


@bp.route("/")
@role_required(*READERS)
def index() -> str:
    """Every upgrade type: its system, crews, length, cost model, value and prerequisites."""
    session = get_session()
    return render_template(
        "planning/upgrades/index.html", active=queries.upgrade_types(session, active=True),
        retired=queries.upgrade_types(session, active=False),
        missing=ops.standard_upgrades_missing(session),
        projects=queries.projects_by_upgrade_type(session),
    )  # fmt: skip


@bp.route("/standard", methods=["POST"])
@role_required(*EDITORS)
def standard() -> Response:
    """Add the standard upgrade types the catalogue is missing."""
    added = ops.load_standard_catalogue(get_session(), by=current_user)
    get_session().commit()
    if added:
        flash(f"Added {len(added)} upgrade types: {', '.join(t.name for t in added)}.", "success")
    else:
        flash("The catalogue already has an upgrade type for every standard system.", "info")
    return redirect(url_for("upgrades.index"))


def _form(upgrade_type: UpgradeType | None = None) -> UpgradeTypeForm:
    """The form, with systems, trades (active ones and any the type uses) and the other types
    to choose as prerequisites."""
    session = get_session()
    trades = queries.active_trades(session)
    if upgrade_type is not None:
        trades += [n.trade for n in upgrade_type.crew_needs if n.trade not in trades]
    data: dict[str, Any] = {}
    if upgrade_type is not None:
        data = {name: getattr(upgrade_type, name) for name in PLAIN}
        data.update({key: cents_to_dollars(getattr(upgrade_type, column))
                     for key, column in MONEY.items()})  # fmt: skip
        data.update({f"crews_{n.trade_id}": n.crews for n in upgrade_type.crew_needs})
        data["system_id"] = upgrade_type.system_id
        data["prerequisites"] = [p.id for p in upgrade_type.prerequisites]
        data["version"] = upgrade_type.version
    form = upgrade_type_form(trades, data=data)
    form.system_id.choices = choices([("", "Choose a system"),
                                      *queries.system_options(session)])  # fmt: skip
    form.prerequisites.choices = [
        (other.id, other.name)
        for other in queries.upgrade_types(session, active=True)
        if upgrade_type is None or other.id != upgrade_type.id
    ]
    return form


def _values(form: UpgradeTypeForm) -> dict[str, Any]:
    """The form's data as the operation's keyword fields."""
    session = get_session()
    values = {name: getattr(form, name).data for name in PLAIN}
    values.update({column: dollars_to_cents(getattr(form, key).data) or 0
                   for key, column in MONEY.items()})  # fmt: skip
    values["system"] = session.get(System, form.system_id.data) if form.system_id.data else None
    values["crews"] = {int(f.name.removeprefix("crews_")): f.data or 0 for f in form.crew_fields()}
    values["prerequisites"] = [
        get_or_404(UpgradeType, type_id) for type_id in form.prerequisites.data or []
    ]
    values["coverage_min_assets"] = values["coverage_min_assets"] or 0
    return values


def _save_page(form: UpgradeTypeForm, title: str, save, upgrade_type=None) -> str | Response:
    """Validate, save, commit and go back to the catalogue; or show the form with errors."""
    differences: list[tuple[str, str, str]] = []
    if form.validate_on_submit():
        session = get_session()
        try:
            saved = save()
        except StaleEdit as error:
            session.rollback()
            flash(error.message, "danger")
            differences = _differences(form, upgrade_type)
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(f"{saved.name} saved.", "success")
            return redirect(url_for("upgrades.index"))
    return render_template("planning/upgrades/form.html", form=form, title=title,
                           differences=differences)  # fmt: skip


def _differences(form: UpgradeTypeForm, upgrade_type: UpgradeType | None) -> list:
    """What someone else saved, against what the user typed; the form then carries the
    version now saved, so saving again is a deliberate overwrite."""
    if upgrade_type is None:
        return []
    get_session().refresh(upgrade_type)
    labels = {name: getattr(form, name).label.text for name in PLAIN}
    current = {name: getattr(upgrade_type, name) for name in PLAIN}
    mine = {name: getattr(form, name).data for name in PLAIN}
    form.version.data = str(upgrade_type.version)
    return stale_differences(labels, mine, current)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create() -> str | Response:
    """Add an upgrade type."""
    form = _form()
    return _save_page(
        form, "New upgrade type",
        lambda: ops.create_upgrade_type(get_session(), by=current_user, **_values(form)),
    )  # fmt: skip


@bp.route("/<int:upgrade_type_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(upgrade_type_id: int) -> str | Response:
    """Change an upgrade type (projects already made keep their own numbers)."""
    upgrade_type = get_or_404(UpgradeType, upgrade_type_id)
    form = _form(upgrade_type)

    def save() -> UpgradeType:
        """Save the form over the version it was read at."""
        ops.update_upgrade_type(get_session(), upgrade_type, by=current_user,
                                expected_version=form.version.data or None,
                                **_values(form))  # fmt: skip
        return upgrade_type

    return _save_page(form, f"Edit {upgrade_type.name}", save, upgrade_type)


@bp.route("/<int:upgrade_type_id>/retire", methods=["POST"])
@role_required(*EDITORS)
def retire(upgrade_type_id: int) -> Response:
    """Stop using an upgrade type for new needs."""
    upgrade_type = get_or_404(UpgradeType, upgrade_type_id)
    ops.retire_upgrade_type(get_session(), upgrade_type, by=current_user)
    get_session().commit()
    flash(f"{upgrade_type.name} is retired: needs no longer use it.", "success")
    return redirect(url_for("upgrades.index"))


@bp.route("/<int:upgrade_type_id>/restore", methods=["POST"])
@role_required(*EDITORS)
def restore(upgrade_type_id: int) -> Response:
    """Offer a retired upgrade type again."""
    upgrade_type = get_or_404(UpgradeType, upgrade_type_id)
    ops.restore_upgrade_type(get_session(), upgrade_type, by=current_user)
    get_session().commit()
    flash(f"{upgrade_type.name} is back in the catalogue.", "success")
    return redirect(url_for("upgrades.index"))


@bp.route("/trades")
@role_required(*EDITORS)
def trades() -> str:
    """The trades of crews and how many upgrade types need each."""
    return render_template("planning/upgrades/trades.html",
                           trades=queries.trades_in_use(get_session()))  # fmt: skip


def _trade_page(form: TradeForm, title: str, save) -> str | Response:
    """Validate, save, commit and go back to the trades; or show the form with errors."""
    if form.validate_on_submit():
        session = get_session()
        try:
            trade = save()
        except DomainError as error:
            session.rollback()
            show_error(form, error)
        else:
            session.commit()
            flash(f"{trade.name} saved.", "success")
            return redirect(url_for("upgrades.trades"))
    return render_template("planning/upgrades/trade_form.html", form=form, title=title)


@bp.route("/trades/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def trade_create() -> str | Response:
    """Add a trade."""
    form = TradeForm()
    fields = ("code", "name", "description")
    return _trade_page(
        form,
        "New trade",
        lambda: ops.create_trade(
            get_session(), by=current_user, **{name: getattr(form, name).data for name in fields}
        ),
    )


@bp.route("/trades/<int:trade_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def trade_edit(trade_id: int) -> str | Response:
    """Rename a trade or change its description."""
    trade = get_or_404(Trade, trade_id)
    form = TradeForm(obj=trade) if request.method == "GET" else TradeForm()
    fields = ("code", "name", "description")

    def save() -> Trade:
        """Save the form over the version it was read at."""
        ops.update_trade(get_session(), trade, by=current_user,
                         expected_version=form.version.data or None,
                         **{name: getattr(form, name).data for name in fields})  # fmt: skip
        return trade

    return _trade_page(form, f"Edit {trade.name}", save)


@bp.route("/trades/<int:trade_id>/retire", methods=["POST"])
@role_required(*EDITORS)
def trade_retire(trade_id: int) -> Response:
    """Stop offering a trade (refused while upgrade types need it)."""
    trade = get_or_404(Trade, trade_id)
    try:
        ops.retire_trade(get_session(), trade, by=current_user)
    except DomainError as error:
        get_session().rollback()
        flash(error.message, "danger")
    else:
        get_session().commit()
        flash(f"{trade.name} is retired.", "success")
    return redirect(url_for("upgrades.trades"))
