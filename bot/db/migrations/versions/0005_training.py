"""training scorecards: runs and their findings

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

import bot.training.tables  # noqa: F401  (registers the models on Base.metadata for autogenerate)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trainee", sa.String(length=64), nullable=False),
        sa.Column("scenario_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("first_reply_seconds", sa.Float(), nullable=True),
        sa.Column("mean_reply_seconds", sa.Float(), nullable=True),
        sa.Column("scorecard", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_runs_scenario_id", "training_runs", ["scenario_id"])
    op.create_index("ix_training_runs_trainee_finished", "training_runs", ["trainee", "finished_at"])
    op.create_table(
        "training_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("turn", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("reply_index", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["run_id"], ["training_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_findings_run_id", "training_findings", ["run_id"])
    op.create_index("ix_training_findings_code", "training_findings", ["code"])


def downgrade() -> None:
    for name in ("ix_training_findings_code", "ix_training_findings_run_id"):
        op.drop_index(name, table_name="training_findings")
    op.drop_table("training_findings")
    for name in ("ix_training_runs_trainee_finished", "ix_training_runs_scenario_id"):
        op.drop_index(name, table_name="training_runs")
    op.drop_table("training_runs")
