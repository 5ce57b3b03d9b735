"""Appointments carry the booking code citizens check in with.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 19:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_code', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint('uq_appointments_booking_code', ['booking_code'])


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_constraint('uq_appointments_booking_code', type_='unique')
        batch_op.drop_column('booking_code')
