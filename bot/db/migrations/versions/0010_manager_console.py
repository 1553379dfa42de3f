"""manager console: audit log of settings edits; conversations indexed by their first message

Revision ID: 0010
Revises: 0008 (the lead re-chains it after 0009 at merge)
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings_edits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("file", sa.String(64), nullable=False),
        sa.Column("editor", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("reverts", sa.Integer(), nullable=True),
    )
    op.create_index("ix_settings_edits_file_created", "settings_edits", ["file", "created_at"])
    op.create_index("ix_conversation_metrics_first_message_at", "conversation_metrics", ["first_message_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_metrics_first_message_at", table_name="conversation_metrics")
    op.drop_table("settings_edits")
