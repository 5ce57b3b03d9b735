"""Fleet health: the last authenticated contact per kiosk; kiosk alarms become alerts with a
hold time (raised only once a condition lasts) and an acknowledgement; the notification
outbox and the on-call rota per hall.

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
    utc = district_server.db.UtcDateTime(timezone=True)
    op.create_table(
        'notices',
        sa.Column('notice_key', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('hall_code', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', utc, nullable=False),
        sa.Column('next_attempt_at', utc, nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_until', utc, nullable=True),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('sent_at', utc, nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('notice_key'))
    op.create_index(op.f('ix_notices_next_attempt_at'), 'notices', ['next_attempt_at'])
    op.create_table(
        'on_call',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('hall_code', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('starts_at', utc, nullable=False),
        sa.Column('ends_at', utc, nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_on_call_hall_code'), 'on_call', ['hall_code'])


def downgrade() -> None:
    op.drop_table('on_call')
    op.drop_table('notices')
    for name in ('acknowledged_by', 'acknowledged_at', 'raised_at'):
        op.drop_column('kiosk_alarms', name)
    op.drop_column('kiosks', 'last_contact_at')
