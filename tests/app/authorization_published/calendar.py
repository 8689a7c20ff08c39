"""Authorization entries of the calendar pages (world.published holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import ROLES, Expect, custom, signed_in

# The feed needs no sign-in: its token is the credential, so a wrong one is 404 for everyone,
# signed in or not (a made-up token of the right shape here; the real ones are tested in
# tests/app/calendar/).
TABLE: dict[str, Expect] = {
    "calendar.feed": custom({role: "hidden" for role in ROLES}, args=lambda w: {"token": "A" * 43}),
    "calendar.index": signed_in(),
    # Making a feed answers with the one page that shows its address; stopping one redirects.
    "calendar.create": signed_in(method="POST", data={"next": "/calendar/"}),
    "calendar.revoke": signed_in(method="POST", data={"next": "/calendar/"}),
}
