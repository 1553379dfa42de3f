"""practice_runs: practice runs in progress, shared by every web process

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("trainee", sa.String(64), nullable=False),
        sa.Column("scenario_id", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("readings", sa.JSON(), nullable=False),
    )
    op.create_index("ix_practice_runs_trainee_touched", "practice_runs", ["trainee", "touched_at"])


def downgrade() -> None:
    op.drop_index("ix_practice_runs_trainee_touched", table_name="practice_runs")
    op.drop_table("practice_runs")
