"""A run's whole budget: each transfer line's amounts, eligibility, known units and the figures
behind them (``run_outputs.budget_npz``), so a stored run with ``[lines.<name>]`` restores its
lines as they were computed, without the files its lines read or a solve of an optimised line.

Nullable: runs saved before it (and runs without lines) have none; :mod:`fiscal.replay`
derives their lines again from the stored scenario, as before.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a nullable column without a default: no row is rewritten, so the outputs' write-once
    # triggers (BEFORE UPDATE) are not touched on either database
    op.add_column("run_outputs", sa.Column("budget_npz", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35, PostgreSQL): a batch copy of the table
    # would drop the triggers that guard approved outputs
    op.execute("ALTER TABLE run_outputs DROP COLUMN budget_npz")
