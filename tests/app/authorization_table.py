"""The expected outcome of every route for every role: the authorization matrix.

Every registered endpoint must have an entry here, or tests/app/test_authorization.py fails.
An entry says, for anonymous visitors and each role, one of:
  "allow"  the page works (2xx, or a redirect that is not to the sign-in page, or 400 on bad input)
  "login"  redirected to the sign-in page
  "deny"   403
  "hidden" 404 (the object is outside the user's scope)
and, for routes with arguments, how to build them from the `world` of test data.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from inventory.enums import Role
from inventory.operations.api_tokens import create_token
from tests.app.authorization_planning import PLANNING_TABLE
from tests.app.authorization_published import PUBLISHED_TABLE
from tests.app.authorization_rules import (
    ANONYMOUS,
    HIDDEN_FROM_EDITORS,
    READERS,
    ROLES,
    STAFF_AND_ADMIN,
    Expect,
    custom,
    everyone,
    only,
    signed_in,
)

__all__ = ["ROLES", "TABLE"]


def _pmo_token(world) -> dict[str, int]:
    """A live API token of the PMO viewer, made when the route is tried (the world's session
    is the test's)."""
    session = object_session(world.site)
    row, _token = create_token(session, world.users[Role.PMO], name="Matrix")
    session.commit()
    return {"token_id": row.id}


TABLE: dict[str, Expect] = {
    "main.index": everyone(),
    "main.home": signed_in(),
    "main.health": everyone(),
    "auth.login": everyone(),
    "auth.logout": signed_in(method="POST"),
    "admin.users": only(Role.ADMIN),
    "admin.create": only(Role.ADMIN),
    "admin.edit": only(Role.ADMIN, args=lambda w: {"user_id": w.users[Role.PMO].id}),
    "admin.password": only(Role.ADMIN, args=lambda w: {"user_id": w.users[Role.PMO].id}),
    # API tokens: administrators list and revoke anyone's; people their own (another user's
    # token is 404 for them).
    "admin.tokens": only(Role.ADMIN),
    "admin.revoke_token": only(Role.ADMIN, method="POST", args=_pmo_token),
    "account.index": signed_in(),
    "account.create": signed_in(method="POST", data={"name": "Matrix"}),
    "account.revoke": custom(
        {ANONYMOUS: "login", **{role: "hidden" for role in Role}, Role.PMO: "allow"},
        method="POST",
        args=_pmo_token,
    ),
    "history.detail": only(
        *READERS,
        args=lambda w: {"object_type": "sites", "object_id": w.site.id},
    ),
    "jobs.index": signed_in(),
    # A job is visible to the user who started it (the planner here) and to administrators.
    "jobs.detail": only(
        Role.ADMIN, Role.PLANNER, otherwise="hidden", args=lambda w: {"job_id": w.job.id}
    ),
    "jobs.status": only(
        Role.ADMIN, Role.PLANNER, otherwise="hidden", args=lambda w: {"job_id": w.job.id}
    ),
    "jobs.cancel": only(
        Role.ADMIN,
        Role.PLANNER,
        otherwise="hidden",
        method="POST",
        args=lambda w: {"job_id": w.job.id},
    ),
    # Imports: staff and administrators. An unknown upload token is 404 even for them (uploads
    # are per user), and the matrix's job is not an import job, so its report page is 404 too.
    "imports.upload": only(*STAFF_AND_ADMIN),
    "imports.preview": custom(
        {ANONYMOUS: "login", **{role: "deny" for role in Role}, **HIDDEN_FROM_EDITORS},
        args=lambda w: {"token": "0" * 32},
    ),
    "imports.job_report": custom(
        {ANONYMOUS: "login", **{role: "deny" for role in Role}, **HIDDEN_FROM_EDITORS},
        args=lambda w: {"job_id": w.job.id},
    ),
    # Importing a checked file and discarding a waiting one: the owner's uploads only.
    **{
        endpoint: custom(
            {ANONYMOUS: "login", **{role: "deny" for role in Role}, **HIDDEN_FROM_EDITORS},
            method="POST",
            args=lambda w: {"token": "0" * 32},
        )
        for endpoint in ("imports.start_import", "imports.discard")
    },
    # Inventory: readers see everything; a site administrator sees only their own sites'
    # objects (world.site and world.extra["asset"] are at another site: "hidden").
    **{
        "regions.index": only(*READERS),
        "regions.create": only(*STAFF_AND_ADMIN),
        "regions.edit": only(*STAFF_AND_ADMIN, args=lambda w: {"region_id": w.extra["region"].id}),
        "regions.retire": only(
            *STAFF_AND_ADMIN, method="POST", args=lambda w: {"region_id": w.extra["region"].id}
        ),
        "sites.index": signed_in(),
        "sites.export": signed_in(),
        "sites.detail": only(*READERS, otherwise="hidden", args=lambda w: {"site_id": w.site.id}),
        "sites.history": only(*READERS, otherwise="hidden", args=lambda w: {"site_id": w.site.id}),
        "sites.create": only(*STAFF_AND_ADMIN),
        "sites.edit": only(*STAFF_AND_ADMIN, args=lambda w: {"site_id": w.site.id}),
        "sites.retire": only(
            *STAFF_AND_ADMIN, method="POST", args=lambda w: {"site_id": w.site.id}
        ),
        "catalog.models": only(*READERS),
        "catalog.models_export": only(*READERS),
        "catalog.model_detail": only(*READERS, args=lambda w: {"model_id": w.extra["model"].id}),
        "catalog.model_create": only(*STAFF_AND_ADMIN),
        "catalog.model_edit": only(
            *STAFF_AND_ADMIN, args=lambda w: {"model_id": w.extra["model"].id}
        ),
        "catalog.model_retire": only(
            *STAFF_AND_ADMIN, method="POST", args=lambda w: {"model_id": w.extra["model"].id}
        ),
        "catalog.systems": only(*READERS),
        "catalog.system_create": only(*STAFF_AND_ADMIN),
        "catalog.system_edit": only(
            *STAFF_AND_ADMIN, args=lambda w: {"system_id": w.extra["model"].system_id}
        ),
        "catalog.system_retire": only(
            *STAFF_AND_ADMIN,
            method="POST",
            args=lambda w: {"system_id": w.extra["model"].system_id},
        ),
        "catalog.manufacturers": only(*READERS),
        "catalog.manufacturer_create": only(*STAFF_AND_ADMIN),
        "catalog.manufacturer_edit": only(
            *STAFF_AND_ADMIN, args=lambda w: {"manufacturer_id": w.extra["model"].manufacturer_id}
        ),
        "catalog.manufacturer_retire": only(
            *STAFF_AND_ADMIN,
            method="POST",
            args=lambda w: {"manufacturer_id": w.extra["model"].manufacturer_id},
        ),
        "assets.index": signed_in(),
        "assets.export": signed_in(),
        "assets.detail": only(
            *READERS, otherwise="hidden", args=lambda w: {"asset_id": w.extra["asset"].id}
        ),
        "assets.history": only(
            *READERS, otherwise="hidden", args=lambda w: {"asset_id": w.extra["asset"].id}
        ),
        "assets.create": only(*STAFF_AND_ADMIN),
        "assets.edit": only(*STAFF_AND_ADMIN, args=lambda w: {"asset_id": w.extra["asset"].id}),
        "assets.retire": only(
            *STAFF_AND_ADMIN, method="POST", args=lambda w: {"asset_id": w.extra["asset"].id}
        ),
        # The asset form's searchable boxes: sites scoped to the user, the catalogue's models.
        "assets.site_choices": signed_in(),
        "assets.model_choices": only(*READERS),
        "lifecycle.index": signed_in(),
        "lifecycle.export": signed_in(),
    },
}

TABLE.update(PLANNING_TABLE)
TABLE.update(PUBLISHED_TABLE)
