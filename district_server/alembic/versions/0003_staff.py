"""Hall staff credentials; one parcel per locker compartment at a time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import district_server.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('hall_code', sa.String(length=64), nullable=False),
        sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('token_hash'))
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active_slot', sa.String(length=160), nullable=True))
        batch_op.create_unique_constraint('uq_parcels_active_slot', ['active_slot'])
    op.execute("UPDATE parcels SET active_slot = kiosk_id || '/' || locker || '/' || "
               "CAST(compartment AS VARCHAR) WHERE state = 'assigned'")


def downgrade() -> None:
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.drop_constraint('uq_parcels_active_slot', type_='unique')
        batch_op.drop_column('active_slot')
    op.drop_table('staff_tokens')
