"""attempts carry the seed of their option order

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:00:00

Attempts started before this revision keep a NULL seed: they go on showing the authored order, so nobody
sees the options move in the middle of an attempt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('option_seed', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('option_seed')
