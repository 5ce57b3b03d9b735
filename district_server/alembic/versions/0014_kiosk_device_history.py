"""Each kiosk device's status changes, as reported, for the kiosk's console page.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = district_server.db.UtcDateTime(timezone=True)
    op.create_table(
        'kiosk_device_history',
        sa.Column('change_id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kiosk_id', sa.String(length=40), nullable=False),
        sa.Column('device', sa.String(length=64), nullable=False),
        sa.Column('at', utc, nullable=False),
        sa.Column('received_at', utc, nullable=False),
        sa.Column('availability', sa.String(length=20), nullable=False),
        sa.Column('severity', sa.String(length=10), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('error_code', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('units_json', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.kiosk_id']),
        sa.PrimaryKeyConstraint('change_id'))
    op.create_index(op.f('ix_kiosk_device_history_kiosk_id'), 'kiosk_device_history',
                    ['kiosk_id'])


def downgrade() -> None:
    op.drop_table('kiosk_device_history')
