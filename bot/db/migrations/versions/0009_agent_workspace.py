"""agent workspace: handoff status/claim/urgency columns, agent presence, agent replies with findings

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

import bot.handoff.tables  # noqa: F401  (registers the models on Base.metadata for autogenerate)

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="waiting"))
        batch.add_column(sa.Column("mode", sa.String(16), nullable=False, server_default="queue"))
        batch.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("agent", sa.String(64), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE handoffs SET status = 'released' WHERE released_at IS NOT NULL")
    op.create_index("ix_handoffs_status", "handoffs", ["status"])
    op.create_index("ix_handoffs_agent", "handoffs", ["agent"])
    op.create_table(
        "agent_presence",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "agent_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_agent_replies_handoff_id", "agent_replies", ["handoff_id"])
    op.create_index("ix_agent_replies_conversation_id", "agent_replies", ["conversation_id"])
    op.create_index("ix_agent_replies_agent_created", "agent_replies", ["agent", "created_at"])


def downgrade() -> None:
    op.drop_table("agent_replies")
    op.drop_table("agent_presence")
    op.drop_index("ix_handoffs_agent", "handoffs")
    op.drop_index("ix_handoffs_status", "handoffs")
    with op.batch_alter_table("handoffs") as batch:
        for name in ("overdue_at", "claimed_at", "agent", "urgent", "mode", "status"):
            batch.drop_column(name)
