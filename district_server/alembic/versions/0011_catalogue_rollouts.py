"""Staged rollout of catalogue versions (canary, health window, rollback).

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import district_server.db


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = district_server.db.UtcDateTime(timezone=True)
    op.create_table(
        'catalogue_rollouts',
        sa.Column('rollout_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('cohort', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('previous_version', sa.String(length=40), nullable=False),
        sa.Column('plan_json', sa.Text(), nullable=False),
        sa.Column('canary_json', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('started_at', utc, nullable=False),
        sa.Column('canary_until', utc, nullable=False),
        sa.Column('finished_at', utc, nullable=True),
        sa.Column('verdict', sa.Text(), nullable=False),
        sa.Column('rollback_version', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['version'], ['catalogue_versions.version']),
        sa.ForeignKeyConstraint(['previous_version'], ['catalogue_versions.version']),
        sa.PrimaryKeyConstraint('rollout_id'))
    op.create_index(op.f('ix_catalogue_rollouts_cohort'), 'catalogue_rollouts', ['cohort'])


def downgrade() -> None:
    op.drop_table('catalogue_rollouts')
