"""The run store's tables (SQLAlchemy Core), as the newest migration leaves them.

The migrations in ``migrations/versions`` create and change these tables; this module only
describes the head schema for the queries. ``SCHEMA_HEAD`` is the newest migration's revision
(a test keeps it equal to Alembic's head).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["SCHEMA_HEAD", "STATUSES", "metadata"]

SCHEMA_HEAD = "0002"
APPLICATION = "fiscal run store"
STATUSES = ("draft", "reviewed", "approved")

metadata = MetaData()

# one row ('application', APPLICATION): how a fiscal store tells itself from a foreign database
fiscal_meta = Table(
    "fiscal_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# unit tables, stored once per content: sha256 of the canonical CSV (UnitTable.data_hash),
# bytes as Parquet (the exact frame, dtypes kept)
datasets = Table(
    "datasets",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("level", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("population_basis", Text, nullable=False),
    Column("notes", JSON, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("approved_by", String(200)),
    Column("approved_at", DateTime(timezone=True)),
    Column("parent_id", Integer, ForeignKey("runs.id")),
    Column("lineage", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("scenario_name", Text, nullable=False),
    Column("scenario_file", Text),
    Column("scenario_toml", Text, nullable=False),
    Column("scenario_sha256", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("province", String(16)),
    Column("years", JSON, nullable=False),
    Column("objective", String(32), nullable=False),
    Column("backend", String(32), nullable=False),
    Column("dataset_sha256", String(64), ForeignKey("datasets.sha256"), nullable=False),
    Column("fiscal_version", String(32), nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("metrics", JSON, nullable=False),
    Column("total", Float, nullable=False),
    Column("units", Integer, nullable=False),
    Column("illustrative", Boolean, nullable=False),
    CheckConstraint("status IN ('draft', 'reviewed', 'approved')", name="runs_status"),
    UniqueConstraint("lineage", "version", name="runs_lineage_version"),
)

# the outputs of a run, written once with the run and never updated
run_outputs = Table(
    "run_outputs",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("table_parquet", LargeBinary, nullable=False),
    Column("ledger_parquet", LargeBinary, nullable=False),
    Column("cells_npy", LargeBinary, nullable=False),
    Column("exact_npy", LargeBinary, nullable=False),
    Column("checks", JSON, nullable=False),
    Column("envelopes", JSON),  # commune runs with envelope.from_scenario: code -> per year
    # a run with transfer lines: its Budget (fiscal.store.budget); NULL before 0002 and without
    Column("budget_npz", LargeBinary),
)

# the trail: saved, renamed, noted, review withdrawn, reviewed, approved (append-only); detail
# holds the note or new name as typed, never generated prose (the app words it in its language)
run_events = Table(
    "run_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False),
)

# re-solves for attribution: key = sha256 of (resolved scenario, data hash, envelopes, version)
solve_cache = Table(
    "solve_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("outcome", String(16), nullable=False),  # ok | infeasible | invalid
    Column("allocation_npy", LargeBinary),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
