"""零材料: certificates on file kept, with the citizen's consent, from materials they scanned
at a kiosk and staff accepted; offered on their next application until withdrawn. A case
staff take in names its channel (window or phone).

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa

from district_server.db import UtcDateTime


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kept_certificates',
        sa.Column('certificate_id', sa.String(length=40), nullable=False),
        sa.Column('holder_hmac', sa.String(length=64), nullable=False),
        sa.Column('elicence_type', sa.String(length=64), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('issuer', sa.String(length=200), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('case_number', sa.String(length=80), nullable=False),
        sa.Column('material_code', sa.String(length=64), nullable=False),
        sa.Column('blobs_json', sa.Text(), nullable=False),
        sa.Column('kept_at', UtcDateTime(timezone=True), nullable=False),
        sa.Column('kept_by', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('certificate_id'))
    op.create_index('ix_kept_certificates_holder_hmac', 'kept_certificates', ['holder_hmac'])
    op.add_column('cases', sa.Column('channel', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('channel')
    op.drop_index('ix_kept_certificates_holder_hmac', table_name='kept_certificates')
    op.drop_table('kept_certificates')
