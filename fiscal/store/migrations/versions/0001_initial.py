"""The first schema: datasets, runs and their outputs, the event trail, the re-solve cache.

Also the database-level guards (triggers, on SQLite and PostgreSQL): an approved run, its
outputs and its trail cannot be updated or deleted; a run's inputs and outputs are written once;
events and datasets are append-only.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPLICATION = "fiscal run store"

# columns of a run that never change once written (only name, note and the status fields may)
_FIXED = (
    "uid",
    "author",
    "created_at",
    "lineage",
    "version",
    "parent_id",
    "scenario_toml",
    "scenario_sha256",
    "dataset_sha256",
    "level",
    "objective",
    "backend",
    "total",
)

_SQLITE = [
    """CREATE TRIGGER runs_approved_no_update BEFORE UPDATE ON runs WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'fiscal store: an approved run is immutable'); END""",
    """CREATE TRIGGER runs_approved_no_delete BEFORE DELETE ON runs WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'fiscal store: an approved run cannot be deleted'); END""",
    f"""CREATE TRIGGER runs_written_once BEFORE UPDATE OF {", ".join(_FIXED)} ON runs
       BEGIN SELECT RAISE(ABORT, 'fiscal store: a run''s inputs and outputs are written once'); END""",
    """CREATE TRIGGER outputs_no_update BEFORE UPDATE ON run_outputs
       BEGIN SELECT RAISE(ABORT, 'fiscal store: a run''s outputs are written once'); END""",
    """CREATE TRIGGER outputs_approved_no_delete BEFORE DELETE ON run_outputs
       WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'approved'
       BEGIN SELECT RAISE(ABORT, 'fiscal store: an approved run cannot be deleted'); END""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON run_events
       BEGIN SELECT RAISE(ABORT, 'fiscal store: the trail is append-only'); END""",
    """CREATE TRIGGER events_approved_no_delete BEFORE DELETE ON run_events
       WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'approved'
       BEGIN SELECT RAISE(ABORT, 'fiscal store: an approved run''s trail cannot be deleted'); END""",
    """CREATE TRIGGER datasets_no_update BEFORE UPDATE ON datasets
       BEGIN SELECT RAISE(ABORT, 'fiscal store: a stored dataset is written once'); END""",
]

_FIXED_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)

_POSTGRES = [
    f"""CREATE FUNCTION fiscal_guard_runs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'approved' THEN
        RAISE EXCEPTION 'fiscal store: run % is approved and immutable', OLD.id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      IF {_FIXED_CHANGED} THEN
        RAISE EXCEPTION 'fiscal store: a run''s inputs and outputs are written once'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER runs_guard BEFORE UPDATE OR DELETE ON runs
       FOR EACH ROW EXECUTE FUNCTION fiscal_guard_runs()""",
    """CREATE FUNCTION fiscal_guard_children() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'fiscal store: % rows are written once', TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF (SELECT status FROM runs WHERE id = OLD.run_id) = 'approved' THEN
        RAISE EXCEPTION 'fiscal store: run % is approved and immutable', OLD.run_id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN OLD;
    END $$""",
    """CREATE TRIGGER outputs_guard BEFORE UPDATE OR DELETE ON run_outputs
       FOR EACH ROW EXECUTE FUNCTION fiscal_guard_children()""",
    """CREATE TRIGGER events_guard BEFORE UPDATE OR DELETE ON run_events
       FOR EACH ROW EXECUTE FUNCTION fiscal_guard_children()""",
    """CREATE FUNCTION fiscal_guard_datasets() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'fiscal store: a stored dataset is written once'
        USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER datasets_guard BEFORE UPDATE ON datasets
       FOR EACH ROW EXECUTE FUNCTION fiscal_guard_datasets()""",
]


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    meta = op.create_table(
        "fiscal_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(meta, [{"key": "application", "value": APPLICATION}])
    op.create_table(
        "datasets",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("population_basis", sa.Text, nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(200)),
        sa.Column("reviewed_at", ts),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("approved_at", ts),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("runs.id")),
        sa.Column("lineage", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("scenario_name", sa.Text, nullable=False),
        sa.Column("scenario_file", sa.Text),
        sa.Column("scenario_toml", sa.Text, nullable=False),
        sa.Column("scenario_sha256", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("province", sa.String(16)),
        sa.Column("years", sa.JSON, nullable=False),
        sa.Column("objective", sa.String(32), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column(
            "dataset_sha256", sa.String(64), sa.ForeignKey("datasets.sha256"), nullable=False
        ),
        sa.Column("fiscal_version", sa.String(32), nullable=False),
        sa.Column("provenance", sa.JSON, nullable=False),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("illustrative", sa.Boolean, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'reviewed', 'approved')", name="runs_status"),
        sa.UniqueConstraint("lineage", "version", name="runs_lineage_version"),
    )
    op.create_index("runs_created", "runs", ["created_at"])
    op.create_table(
        "run_outputs",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("table_parquet", sa.LargeBinary, nullable=False),
        sa.Column("ledger_parquet", sa.LargeBinary, nullable=False),
        sa.Column("cells_npy", sa.LargeBinary, nullable=False),
        sa.Column("exact_npy", sa.LargeBinary, nullable=False),
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("envelopes", sa.JSON),
    )
    op.create_table(
        "run_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("at", ts, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("run_events_run", "run_events", ["run_id"])
    op.create_table(
        "solve_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("allocation_npy", sa.LargeBinary),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for fn in ("fiscal_guard_runs", "fiscal_guard_children", "fiscal_guard_datasets"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}() CASCADE")
    for table in ("solve_cache", "run_events", "run_outputs", "runs", "datasets", "fiscal_meta"):
        op.drop_table(table)
