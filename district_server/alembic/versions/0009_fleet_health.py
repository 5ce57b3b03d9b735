"""Fleet health: the last authenticated contact per kiosk; kiosk alarms become alerts with a
hold time (raised only once a condition lasts) and an acknowledgement.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('kiosks', sa.Column('last_contact_at',
                                      district_server.db.UtcDateTime(timezone=True),
                                      nullable=True))
    for name in ('raised_at', 'acknowledged_at'):
        op.add_column('kiosk_alarms', sa.Column(name,
                                                district_server.db.UtcDateTime(timezone=True),
                                                nullable=True))
    op.add_column('kiosk_alarms', sa.Column('acknowledged_by', sa.String(length=80),
                                            nullable=True))


def downgrade() -> None:
    for name in ('acknowledged_by', 'acknowledged_at', 'raised_at'):
        op.drop_column('kiosk_alarms', name)
    op.drop_column('kiosks', 'last_contact_at')
