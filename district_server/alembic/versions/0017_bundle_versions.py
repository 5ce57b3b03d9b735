"""Kiosk application bundles: versions (a signed manifest; the archive lies in the bundle
directory under its sha256) and the version each cohort should run, staged through the same
rollouts as catalogue and configuration.

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

from district_server.db import UtcDateTime


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bundle_versions',
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('archive_sha256', sa.String(length=64), nullable=False),
        sa.Column('archive_bytes', sa.BigInteger(), nullable=False),
        sa.Column('signed_manifest', sa.Text(), nullable=False),
        sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('version'))
    op.create_table(
        'bundle_publications',
        sa.Column('cohort', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('published_at', UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['version'], ['bundle_versions.version']),
        sa.PrimaryKeyConstraint('cohort'))


def downgrade() -> None:
    op.execute("DELETE FROM catalogue_rollouts WHERE subject = 'bundle'")
    op.drop_table('bundle_publications')
    op.drop_table('bundle_versions')
