"""reminder outbox, opt-outs and script deliveries

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("notice_key", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False, server_default="pending"),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("skip_reason", sa.String(length=32), nullable=True),
        sa.Column("angle", sa.String(length=32), nullable=True),
        sa.Column("track_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "kind", "notice_key", name="uq_reminders_order_kind_key"),
    )
    op.create_index("ix_reminders_order_id", "reminders", ["order_id"])
    op.create_index("ix_reminders_state_due", "reminders", ["state", "due_at"])
    op.create_index("ix_reminders_customer_state", "reminders", ["customer_id", "state"])
    op.create_index("ix_reminders_track_id", "reminders", ["track_id"])
    op.create_table(
        "reminder_optouts",
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_table(
        "script_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("track_id", sa.String(length=64), nullable=False),
        sa.Column("response", sa.String(length=100), nullable=False),
        sa.Column("variant", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_script_deliveries_track_id", "script_deliveries", ["track_id"])


def downgrade() -> None:
    op.drop_index("ix_script_deliveries_track_id", table_name="script_deliveries")
    op.drop_table("script_deliveries")
    op.drop_table("reminder_optouts")
    for name in ("ix_reminders_track_id", "ix_reminders_customer_state", "ix_reminders_state_due",
                 "ix_reminders_order_id"):
        op.drop_index(name, table_name="reminders")
    op.drop_table("reminders")
