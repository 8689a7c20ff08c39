"""The fixed vocabularies of the domain: roles, site kinds, statuses."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A string enum whose members have a human label."""

    @property
    def label(self) -> str:
        """The member's name as people write it."""
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for select boxes."""
        return [(member.value, member.label) for member in cls]


class Role(LabelledEnum):
    """What a user may do; site administrators are also scoped to their sites."""

    ADMIN = "admin"
    STAFF = "staff"
    PLANNER = "planner"
    PMO = "pmo"
    SITE_ADMIN = "site_admin"

    @property
    def label(self) -> str:
        """The role's name as shown to people."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.STAFF: "Infrastructure staff",
    Role.PLANNER: "Planner",
    Role.PMO: "PMO viewer",
    Role.SITE_ADMIN: "Site administrator",
}


class SiteKind(LabelledEnum):
    """What a site is."""

    ELEMENTARY = "elementary"
    MIDDLE = "middle"
    HIGH = "high"
    K12 = "k12"
    OFFICE = "office"
    DATA_CENTER = "data_center"
    OTHER = "other"

    @property
    def label(self) -> str:
        """K-12 and data centre read better spelled out."""
        return {"k12": "K-12", "data_center": "Data centre"}.get(self.value, super().label)


class SiteStatus(LabelledEnum):
    """Whether a site is in use."""

    ACTIVE = "active"
    PLANNED = "planned"
    CLOSED = "closed"


class JobStatus(LabelledEnum):
    """Where a background job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_finished(self) -> bool:
        """True once the job will not change any more."""
        return self in {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}


class ScenarioStatus(LabelledEnum):
    """Where a scenario is in its review: drafted, submitted for approval, approved."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class FundingKind(LabelledEnum):
    """What kind of money a funding source is; E-Rate Category 2 has rules of its own."""

    GENERAL = "general"
    BOND = "bond"
    GRANT = "grant"
    ERATE_C2 = "erate_c2"

    @property
    def label(self) -> str:
        """The kinds as a district's finance office names them."""
        return FUNDING_KIND_LABELS[self]


FUNDING_KIND_LABELS = {
    FundingKind.GENERAL: "General fund",
    FundingKind.BOND: "Bond program",
    FundingKind.GRANT: "Grant",
    FundingKind.ERATE_C2: "E-Rate Category 2",
}


class NeedKind(LabelledEnum):
    """Why a project exists: assets reaching end of life, a coverage gap, or a request."""

    END_OF_LIFE = "end_of_life"
    COVERAGE = "coverage"
    REQUEST = "request"

    @property
    def label(self) -> str:
        """The need as planners say it."""
        return {"end_of_life": "End of life", "coverage": "Coverage gap"}.get(
            self.value, "Requested"
        )


class ProjectPhase(LabelledEnum):
    """Where a project is in its life (the PMO's lifecycle)."""

    INITIATING = "initiating"
    PLANNING = "planning"
    EXECUTING = "executing"
    MONITORING = "monitoring"
    CLOSING = "closing"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Monitoring is 'monitoring and controlling' in the PMO's words."""
        if self is ProjectPhase.MONITORING:
            return "Monitoring and controlling"
        return super().label
