"""Remote commands to kiosks, with their lifecycle.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = district_server.db.UtcDateTime(timezone=True)
    op.create_table(
        'kiosk_commands',
        sa.Column('command_id', sa.String(length=32), nullable=False),
        sa.Column('kiosk_id', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('args_json', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('sent_by', sa.String(length=80), nullable=False),
        sa.Column('idempotency_key', sa.String(length=80), nullable=True),
        sa.Column('issued_at', utc, nullable=False),
        sa.Column('expires_at', utc, nullable=False),
        sa.Column('delivered_at', utc, nullable=True),
        sa.Column('finished_at', utc, nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('blob_sha256', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.kiosk_id']),
        sa.PrimaryKeyConstraint('command_id'),
        sa.UniqueConstraint('kiosk_id', 'idempotency_key'))
    op.create_index(op.f('ix_kiosk_commands_kiosk_id'), 'kiosk_commands', ['kiosk_id'])


def downgrade() -> None:
    op.drop_table('kiosk_commands')
