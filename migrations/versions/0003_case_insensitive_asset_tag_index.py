"""Case-insensitive asset tag index: uniqueness checks and import lookups use lower(tag).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:05:00

Written by hand: Alembic's autogenerate does not compare expression indexes on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index lower(tag), so a case-insensitive tag check does not scan every asset."""
    op.create_index("ix_assets_tag_lower", "assets", [sa.text("lower(tag)")])


def downgrade() -> None:
    """Drop the expression index."""
    op.drop_index("ix_assets_tag_lower", table_name="assets")
