"""unanswered_questions: messages the bot could not answer, for the question bank

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("best_entry", sa.String(64), nullable=True),
        sa.Column("agent_reply", sa.Text(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_unanswered_questions_conversation_id", "unanswered_questions", ["conversation_id"])
    op.create_index("ix_unanswered_questions_created_at", "unanswered_questions", ["created_at"])
    op.create_index("ix_unanswered_questions_answered_by", "unanswered_questions", ["answered_by"])


def downgrade() -> None:
    op.drop_table("unanswered_questions")
