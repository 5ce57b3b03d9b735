"""Parcels are assigned by compartment size; the kiosk fills a compartment and reports it
(`stored` with the compartment and the time its door closed); `picked` is now `collected`.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('size', sa.String(length=2), nullable=True))
        batch_op.alter_column('compartment', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('deposited_at',
                              existing_type=district_server.db.UtcDateTime(timezone=True),
                              nullable=True)
    op.execute("UPDATE parcels SET state = 'collected' WHERE state = 'picked'")


def downgrade() -> None:
    op.execute("UPDATE parcels SET state = 'picked' WHERE state = 'collected'")
    op.execute("DELETE FROM parcels WHERE compartment IS NULL")
    op.execute("UPDATE parcels SET deposited_at = expires_at WHERE deposited_at IS NULL")
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.alter_column('deposited_at',
                              existing_type=district_server.db.UtcDateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('compartment', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('size')
