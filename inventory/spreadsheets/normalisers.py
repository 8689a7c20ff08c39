"""Turn the words other systems use (school levels, device roles, Snipe-IT statuses) into ours.

Each normaliser takes cell text and returns one of Rollout's values, or raises ValueError naming
the accepted values. Blank cells are the caller's business (see ``values.parse_optional``).
"""

from __future__ import annotations

import re

SITE_KINDS = ("elementary", "middle", "high", "k12", "office", "data_center", "other")
SITE_STATUSES = ("active", "closed", "planned")
SYSTEMS = ("network_core", "lan", "wifi", "voice", "video", "cameras", "access_control",
           "power", "servers", "cabling")  # fmt: skip
ASSET_STATUSES = ("planned", "in_service", "spare", "in_repair", "retired", "disposed")


def _key(text: str) -> str:
    """Lower-case words separated by single spaces, punctuation removed."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def _choices(values: tuple[str, ...]) -> str:
    """List accepted values for an error message."""
    return ", ".join(values)


_SITE_KIND_WORDS = {
    "elementary": ["elementary", "elementary school", "primary", "primary school", "es",
                   "prekindergarten", "pre kindergarten", "pre k", "early childhood",
                   "kindergarten", "grade school", "preschool", "pre school",
                   "early learning center", "early education"],
    "middle": ["middle", "middle school", "junior high", "junior high school", "ms", "jhs",
               "intermediate", "intermediate school"],
    "high": ["high", "high school", "senior high", "senior high school", "secondary", "hs",
             "secondary school"],
    "k12": ["k12", "k 12", "pk 12", "pre k 12", "all grades", "combined",
            "elementary high combination", "elementary high", "k 12 school", "unit school"],
    "office": ["office", "district office", "central office", "administration", "admin",
               "administrative", "headquarters", "hq", "warehouse", "annex"],
    "data_center": ["data center", "data centre", "datacenter", "datacentre", "dc",
                    "server room", "noc"],
    "other": ["other", "alternative", "adult", "adult education", "vocational", "special",
              "special education", "charter", "not applicable", "ungraded"],
}  # fmt: skip
_SITE_KIND_LOOKUP = {w: kind for kind, words in _SITE_KIND_WORDS.items() for w in words}
_GRADE_ORDER = {"pk": -1, "p": -1, "prek": -1, "k": 0, "kg": 0, "tk": 0}


def _grade_number(grade: str) -> int | None:
    """Turn PK, K, KG, 1, 01, 12 into -1..12."""
    grade = grade.strip().casefold().replace("-", "")
    if grade in _GRADE_ORDER:
        return _GRADE_ORDER[grade]
    return int(grade) if grade.isdigit() and int(grade) <= 13 else None


def _grade_span(text: str) -> tuple[int, int] | None:
    """Read a grade span such as "KG-05", "PK,K,01,02" or "Pre-K-5"; None when it is not one."""
    text = re.sub(r"pre[\s-]?k", "PK", text.strip(), flags=re.IGNORECASE)
    parts = [p for p in re.split(r"\s*(?:,|;|\bto\b|-|\u2013|/)\s*", text) if p]
    grades = [_grade_number(p) for p in parts]
    if not grades or any(g is None for g in grades):
        return None
    numbers = [g for g in grades if g is not None]
    return min(numbers), max(numbers)


def site_kind_from_grades(low: int, high: int) -> str:
    """Classify a grade span with the NCES school-level rules (-1 is pre-K, 0 is kindergarten)."""
    if low <= 0 and high >= 12:
        return "k12"
    if low <= 3 and high <= 8:
        return "elementary"
    if 4 <= low <= 7 and high <= 9:
        return "middle"
    if low >= 7 and high >= 10:
        return "high"
    return "other"


def normalise_site_kind(text: str) -> str:
    """Map "ELEMENTARY", "Middle School", "K-12" or a grade span like "KG-05" to a site kind."""
    key = _key(text)
    if key.replace(" ", "_") in SITE_KINDS:
        return key.replace(" ", "_")
    if key in _SITE_KIND_LOOKUP:
        return _SITE_KIND_LOOKUP[key]
    span = _grade_span(str(text))
    if span is not None:
        return site_kind_from_grades(*span)
    for word in ("elementary", "middle", "high", "office"):
        if word in key.split():
            return word
    raise ValueError(f'"{text}" is not a site kind; use one of {_choices(SITE_KINDS)}')


_SITE_STATUS_WORDS = {
    "active": ["active", "open", "operational", "operating", "in use", "new", "added",
               "reopened", "changed", "changed boundary agency", "changed agency",
               "1", "3", "4", "5", "8"],
    "closed": ["closed", "inactive", "temporarily closed", "retired", "merged",
               "permanently closed", "2", "6"],
    "planned": ["planned", "future", "proposed", "under construction", "pending", "7"],
}  # fmt: skip
_SITE_STATUS_LOOKUP = {w: s for s, words in _SITE_STATUS_WORDS.items() for w in words}


def normalise_site_status(text: str) -> str:
    """Map open/closed/future words and NCES status codes (1 open, 2 closed, 7 future...)."""
    key = _key(text)
    if key in _SITE_STATUS_LOOKUP:
        return _SITE_STATUS_LOOKUP[key]
    code_and_word = re.fullmatch(r"(\d) (\D.*)", key)  # NCES's "1-Open", "2-Closed"
    if code_and_word and code_and_word[2] in _SITE_STATUS_LOOKUP:
        return _SITE_STATUS_LOOKUP[code_and_word[2]]
    raise ValueError(f'"{text}" is not a site status; use one of {_choices(SITE_STATUSES)}')


# Checked in order: the first rule whose words appear in the text wins.
_SYSTEM_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("network_core", ("network core", "core switch", "distribution switch", "router",
                      "firewall", "gateway", "security appliance", "wan", "sd wan",
                      "load balancer", "vpn", "utm")),
    ("wifi", ("access point", "wireless", "wifi", "wi fi", "wlan", "ap", "aps",
              "wireless controller", "mobility controller")),
    ("voice", ("phone", "phones", "voip", "voice", "telephone", "pbx", "ip phone",
               "intercom", "paging")),
    ("cameras", ("camera", "cameras", "cctv", "nvr", "dvr", "surveillance", "video surveillance")),
    ("video", ("video", "av", "audio visual", "audiovisual", "projector", "display",
               "television", "tv", "interactive panel", "smart board", "encoder", "decoder")),
    ("access_control", ("access control", "door controller", "badge reader", "card reader",
                        "door", "badge", "keypad")),
    ("power", ("ups", "pdu", "ats", "power", "battery", "power distribution",
               "transfer switch", "generator")),
    ("servers", ("server", "servers", "storage", "nas", "san", "hypervisor", "blade",
                 "compute", "virtual machine")),
    ("cabling", ("cabling", "cable", "patch panel", "fiber", "fibre", "structured cabling",
                 "cable plant", "media converter")),
    ("lan", ("switch", "switches", "access switch", "lan", "stack", "network", "poe")),
)  # fmt: skip


_END_USER_DEVICES = frozenset(
    {"laptop", "laptops", "desktop", "desktops", "tablet", "tablets", "mobile", "chromebook",
     "chromebooks", "monitor", "monitors", "printer", "printers"}
)  # fmt: skip


def normalise_system(text: str) -> str:
    """Map a category or device role ("Switch", "Access Point", "UPS", "Firewall") to a system."""
    key = _key(text)
    if any(word in _END_USER_DEVICES for word in key.split()):
        raise ValueError(
            f'"{text}" is an end-user device, not part of an infrastructure system; '
            f"use one of {_choices(SYSTEMS)}"
        )
    if key.replace(" ", "_") in SYSTEMS:
        return key.replace(" ", "_")
    padded = f" {key} "
    for system, words in _SYSTEM_RULES:
        if any(f" {word} " in padded for word in words):
            return system
    raise ValueError(f'"{text}" is not an infrastructure system; use one of {_choices(SYSTEMS)}')


_ASSET_STATUS_WORDS = {
    "planned": ["planned", "pending", "on order", "ordered", "staged", "staging", "to deploy",
                "new", "reserved", "waiting for release"],
    "in_service": ["in service", "deployed", "active", "in use", "installed", "production",
                   "online", "used", "assigned", "ok", "checked out", "loan"],
    "spare": ["spare", "ready to deploy", "in stock", "stock", "inventory", "available",
              "free", "offline", "unassigned", "ready"],
    "in_repair": ["in repair", "out for repair", "repair", "broken", "failed", "damaged",
                  "undeployable", "pending diagnostics", "out for diagnostics", "faulty",
                  "rma", "return in progress", "maintenance"],
    "retired": ["retired", "archived", "decommissioned", "decommissioning", "end of life",
                "eol", "out of service", "broken not fixable"],
    "disposed": ["disposed", "disposal", "liquidated", "sold", "recycled", "ewaste",
                 "e waste", "lost", "stolen", "lost stolen", "donated", "destroyed", "scrapped"],
}  # fmt: skip
_ASSET_STATUS_LOOKUP = {w: s for s, words in _ASSET_STATUS_WORDS.items() for w in words}


def normalise_asset_status(text: str) -> str:
    """Map Snipe-IT, NetBox and Ralph statuses ("Ready to Deploy", "Archived"...) to ours."""
    key = _key(text)
    if key.replace(" ", "_") in ASSET_STATUSES:
        return key.replace(" ", "_")
    if key in _ASSET_STATUS_LOOKUP:
        return _ASSET_STATUS_LOOKUP[key]
    raise ValueError(f'"{text}" is not an asset status; use one of {_choices(ASSET_STATUSES)}')


def normalise_postal_code(value: object) -> str:
    """Restore leading zeros US ZIP codes lost in spreadsheets ("2351" → "02351")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    digits = text.replace("-", "").replace(" ", "")
    if digits.isdigit() and 3 <= len(digits) <= 5 and "-" not in text:
        return digits.zfill(5)
    if digits.isdigit() and len(digits) in (8, 9):
        padded = digits.zfill(9)
        return f"{padded[:5]}-{padded[5:]}"
    return text.upper()
