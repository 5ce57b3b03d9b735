"""Parcels keep the pickup code as a scrypt hash (the kiosk's format) and list their items.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 19:16:34
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # PBKDF2 digests cannot become scrypt hashes; only demo assignments existed under 0001.
    op.execute("DELETE FROM parcels")
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=200), nullable=False))
        batch_op.add_column(sa.Column('items_json', sa.Text(), nullable=False))
        batch_op.drop_column('code_digest')


def downgrade() -> None:
    op.execute("DELETE FROM parcels")
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_digest', sa.VARCHAR(length=64), nullable=False))
        batch_op.drop_column('items_json')
        batch_op.drop_column('code_hash')
