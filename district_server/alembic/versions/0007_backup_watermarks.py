"""Backup watermarks: what `district-server backup` copied, signed into receipts pages.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 17:40:00
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('backup_watermarks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('backed_up_through', sa.BigInteger(), nullable=False),
    sa.Column('taken_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('backup_watermarks')
