"""Access: staff as persons (accounts, expiring sessions) replace staff bearer tokens; blob
owners (a kiosk sees only blobs it uploaded); rate-limit counters shared by all workers;
cases.purged_at (application and scans deleted after the retention).

Staff tokens issued before this revision stop working: add accounts with
`district-server staff-add`.

Revision ID: 0008
Revises: 0007
"""
import json

from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_accounts',
        sa.Column('staff_id', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('hall_code', sa.String(length=64), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', district_server.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('staff_id'))
    op.create_table(
        'staff_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.String(length=40), nullable=False),
        sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.staff_id'], ),
        sa.PrimaryKeyConstraint('token_hash'))
    op.create_index(op.f('ix_staff_sessions_staff_id'), 'staff_sessions', ['staff_id'],
                    unique=False)
    op.drop_table('staff_tokens')
    op.create_table(
        'blob_owners',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('kiosk_id', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], ),
        sa.PrimaryKeyConstraint('sha256', 'kiosk_id'))
    _blob_owners_from_submissions()
    op.create_table(
        'rate_counters',
        sa.Column('key', sa.String(length=160), nullable=False),
        sa.Column('window_start', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key'))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', district_server.db.UtcDateTime(timezone=True),
                                      nullable=True))


def _blob_owners_from_submissions() -> None:
    """A blob already referenced by a kiosk's accepted submission stays visible to that
    kiosk (a replayed submission still finds its blobs)."""
    connection = op.get_bind()
    present = set(connection.execute(sa.text("SELECT sha256 FROM blobs")).scalars())
    owners = set()
    for kiosk_id, envelope in connection.execute(
            sa.text("SELECT kiosk_id, envelope FROM submissions")):
        owners.update((sha256, kiosk_id) for sha256 in json.loads(envelope).get("blobs", [])
                      if sha256 in present)
    if owners:
        connection.execute(sa.text("INSERT INTO blob_owners (sha256, kiosk_id) "
                                   "VALUES (:sha256, :kiosk_id)"),
                           [{"sha256": sha256, "kiosk_id": kiosk} for sha256, kiosk in owners])


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
    op.drop_table('rate_counters')
    op.drop_table('blob_owners')
    op.create_table(
        'staff_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('hall_code', sa.String(length=64), nullable=False),
        sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('token_hash'))
    op.drop_index(op.f('ix_staff_sessions_staff_id'), table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_table('staff_accounts')
