"""The district's figures need when a case was decided and how long it waited for 补正:
`decided_at` (completed or rejected; earlier rows: their last change, the best known) and the
days of closed supplement pauses, counted in working and in calendar days.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa

from district_server.db import UtcDateTime


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_at', UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_working_days', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('paused_calendar_days', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.execute("UPDATE cases SET decided_at = updated_at WHERE state IN "
               "('completed', 'ready_for_pickup', 'picked_up', 'rejected')")


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('paused_calendar_days')
        batch_op.drop_column('paused_working_days')
        batch_op.drop_column('decided_at')
