"""补正 stops the case's time-limit clock: the day staff asked for more materials, until the
last one is supplied (then the promised date moves on by the working days waited).

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cases', sa.Column('waiting_since', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('waiting_since')
