"""Each member of staff gets a kiosk PIN of their own (its scrypt hash), separate from the
web password: the staff list sent to kiosks carries it instead of the password's hash.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('staff_accounts',
                  sa.Column('kiosk_pin_hash', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('staff_accounts', 'kiosk_pin_hash')
