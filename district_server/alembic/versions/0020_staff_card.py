"""A member of staff may register their resident ID card as a staff card: its number's
salted scrypt hash goes to their hall's kiosks, which sign them in with the card and a face
check against its photo.

Revision ID: 0020
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('staff_accounts',
                  sa.Column('staff_card_hash', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('staff_accounts', 'staff_card_hash')
