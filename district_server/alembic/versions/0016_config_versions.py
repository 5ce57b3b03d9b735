"""Configuration pushed to kiosks kept as numbered versions, published to a cohort and staged
through the same rollouts as the catalogue: a rollout names its subject (catalogue or
configuration), so its version columns no longer point at catalogue versions only. Each
kiosk counts the submissions the district refused from it (a rollout's gate).

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa

from district_server.db import UtcDateTime


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'config_versions',
        sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=80), nullable=False),
        sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('number'))
    op.create_table(
        'config_publications',
        sa.Column('cohort', sa.String(length=64), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('published_at', UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['number'], ['config_versions.number']),
        sa.PrimaryKeyConstraint('cohort'))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's foreign keys are unnamed: the convention names them for the copy
        convention = {'fk': 'fk_%(table_name)s_%(column_0_name)s'}
        with op.batch_alter_table('catalogue_rollouts', naming_convention=convention) as batch:
            batch.drop_constraint('fk_catalogue_rollouts_version', type_='foreignkey')
            batch.drop_constraint('fk_catalogue_rollouts_previous_version',
                                  type_='foreignkey')
            batch.add_column(sa.Column('subject', sa.String(length=20), nullable=False,
                                       server_default='catalogue'))
    else:
        op.drop_constraint('catalogue_rollouts_version_fkey', 'catalogue_rollouts',
                           type_='foreignkey')
        op.drop_constraint('catalogue_rollouts_previous_version_fkey', 'catalogue_rollouts',
                           type_='foreignkey')
        op.add_column('catalogue_rollouts', sa.Column(
            'subject', sa.String(length=20), nullable=False, server_default='catalogue'))


    with op.batch_alter_table('kiosks') as batch:
        batch.add_column(sa.Column('failed_submissions', sa.Integer(), nullable=False,
                                   server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('kiosks') as batch:
        batch.drop_column('failed_submissions')
    op.execute("DELETE FROM catalogue_rollouts WHERE subject <> 'catalogue'")
    # the names upgrade() drops: its convention on SQLite, PostgreSQL's own elsewhere
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('catalogue_rollouts') as batch:
        batch.drop_column('subject')
        for column in ('version', 'previous_version'):
            batch.create_foreign_key(f'fk_catalogue_rollouts_{column}' if sqlite
                                     else f'catalogue_rollouts_{column}_fkey',
                                     'catalogue_versions', [column], ['version'])
    op.drop_table('config_publications')
    op.drop_table('config_versions')
