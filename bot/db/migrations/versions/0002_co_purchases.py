"""co-purchases and suggestion events

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "co_purchases",
        sa.Column("sku_a", sa.String(length=64), nullable=False),
        sa.Column("sku_b", sa.String(length=64), nullable=False),
        sa.Column("pair_count", sa.Integer(), nullable=False),
        sa.Column("support", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("lift", sa.Float(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sku_a", "sku_b"),
    )
    op.create_table(
        "suggestion_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_suggestion_events_conversation_event", "suggestion_events", ["conversation_id", "event"])
    op.create_index("ix_suggestion_events_event_kind", "suggestion_events", ["event", "kind"])


def downgrade() -> None:
    op.drop_index("ix_suggestion_events_event_kind", table_name="suggestion_events")
    op.drop_index("ix_suggestion_events_conversation_event", table_name="suggestion_events")
    op.drop_table("suggestion_events")
    op.drop_table("co_purchases")
