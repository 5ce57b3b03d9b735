"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 18:53:31.827020
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('appointments',
    sa.Column('appointment_id', sa.String(length=64), nullable=False),
    sa.Column('holder_hmac', sa.String(length=64), nullable=False),
    sa.Column('service_code', sa.String(length=64), nullable=False),
    sa.Column('queue_category', sa.String(length=64), nullable=False),
    sa.Column('hall_code', sa.String(length=64), nullable=False),
    sa.Column('slot_start', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('slot_end', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checked_in_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('appointment_id')
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_holder_hmac'), ['holder_hmac'], unique=False)

    op.create_table('audit_entries',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_hmac', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('blob_uploads',
    sa.Column('upload_id', sa.String(length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('upload_id')
    )
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blob_uploads_kiosk_id'), ['kiosk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blob_uploads_sha256'), ['sha256'], unique=False)

    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('stored_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('cases',
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=True),
    sa.Column('holder_hmac', sa.String(length=64), nullable=False),
    sa.Column('service_code', sa.String(length=64), nullable=False),
    sa.Column('catalogue_version', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('submitted_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('kiosk_id', sa.String(length=40), nullable=True),
    sa.Column('hall_code', sa.String(length=64), nullable=True),
    sa.Column('pickup_method', sa.String(length=20), nullable=False),
    sa.Column('outstanding_json', sa.Text(), nullable=False),
    sa.Column('material_due_date', sa.Date(), nullable=True),
    sa.Column('application_json', sa.Text(), nullable=False),
    sa.Column('updated_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_number'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_holder_hmac'), ['holder_hmac'], unique=False)

    op.create_table('catalogue_versions',
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('demo_seeds',
    sa.Column('holder_hmac', sa.String(length=64), nullable=False),
    sa.Column('seeded_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('holder_hmac')
    )
    op.create_table('enrollment_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=True),
    sa.Column('hall_code', sa.String(length=64), nullable=False),
    sa.Column('cohort', sa.String(length=64), nullable=False),
    sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_table('evaluations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=True),
    sa.Column('service_code', sa.String(length=64), nullable=True),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('indicator_set_version', sa.String(length=64), nullable=False),
    sa.Column('indicators_json', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id')
    )
    op.create_table('events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('kiosks',
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('signing_public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('hall_code', sa.String(length=64), nullable=False),
    sa.Column('cohort', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('desired_version', sa.Integer(), nullable=False),
    sa.Column('desired_hash', sa.String(length=64), nullable=True),
    sa.Column('reported_json', sa.Text(), nullable=False),
    sa.Column('reported_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kiosk_id')
    )
    op.create_table('queue_tickets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('hall_code', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('ticket_no', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('holder_hmac', sa.String(length=64), nullable=True),
    sa.Column('kiosk_id', sa.String(length=40), nullable=True),
    sa.Column('issued_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hall_code', 'category', 'day', 'number', name='uq_queue_ticket_number')
    )
    op.create_table('staff_calls',
    sa.Column('call_id', sa.String(length=40), nullable=False),
    sa.Column('hall_code', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('journey', sa.String(length=64), nullable=True),
    sa.Column('holder_hmac', sa.String(length=64), nullable=True),
    sa.Column('created_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('call_id')
    )
    with op.batch_alter_table('staff_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_calls_hall_code'), ['hall_code'], unique=False)

    op.create_table('submissions',
    sa.Column('server_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('kiosk_seq', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('receipt', sa.Text(), nullable=False),
    sa.Column('signature_b64', sa.String(length=128), nullable=False),
    sa.Column('received_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('server_seq'),
    sa.UniqueConstraint('kiosk_id', 'kiosk_seq', name='uq_submissions_kiosk_seq'),
    sa.UniqueConstraint('submission_id')
    )
    op.create_table('catalogue_publications',
    sa.Column('cohort', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('published_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version'], ['catalogue_versions.version'], ),
    sa.PrimaryKeyConstraint('cohort')
    )
    op.create_table('commitments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('materials_json', sa.Text(), nullable=False),
    sa.Column('text_version', sa.String(length=64), nullable=False),
    sa.Column('signature_blob', sa.String(length=64), nullable=False),
    sa.Column('signed_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('supply_channel', sa.String(length=20), nullable=False),
    sa.Column('fill_state', sa.String(length=20), nullable=False),
    sa.Column('supplied_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_number'], ['cases.case_number'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_case_number'), ['case_number'], unique=False)

    op.create_table('kiosk_alarms',
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('opened_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.kiosk_id'], ),
    sa.PrimaryKeyConstraint('kiosk_id', 'kind')
    )
    op.create_table('parcels',
    sa.Column('parcel_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('locker', sa.String(length=64), nullable=False),
    sa.Column('compartment', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('holder_hmac', sa.String(length=64), nullable=False),
    sa.Column('code_digest', sa.String(length=64), nullable=False),
    sa.Column('deposited_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('picked_at', district_server.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_number'], ['cases.case_number'], ),
    sa.PrimaryKeyConstraint('parcel_id')
    )
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parcels_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('seen_nonces',
    sa.Column('kiosk_id', sa.String(length=40), nullable=False),
    sa.Column('nonce', sa.String(length=48), nullable=False),
    sa.Column('seen_at', district_server.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.kiosk_id'], ),
    sa.PrimaryKeyConstraint('kiosk_id', 'nonce')
    )
    with op.batch_alter_table('seen_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_nonces_seen_at'), ['seen_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('seen_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_nonces_seen_at'))

    op.drop_table('seen_nonces')
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parcels_kiosk_id'))

    op.drop_table('parcels')
    op.drop_table('kiosk_alarms')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_case_number'))

    op.drop_table('commitments')
    op.drop_table('catalogue_publications')
    op.drop_table('submissions')
    with op.batch_alter_table('staff_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_calls_hall_code'))

    op.drop_table('staff_calls')
    op.drop_table('queue_tickets')
    op.drop_table('kiosks')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_kiosk_id'))

    op.drop_table('events')
    op.drop_table('evaluations')
    op.drop_table('enrollment_tokens')
    op.drop_table('demo_seeds')
    op.drop_table('catalogue_versions')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_holder_hmac'))

    op.drop_table('cases')
    op.drop_table('blobs')
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blob_uploads_sha256'))
        batch_op.drop_index(batch_op.f('ix_blob_uploads_kiosk_id'))

    op.drop_table('blob_uploads')
    op.drop_table('audit_entries')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_holder_hmac'))

    op.drop_table('appointments')

