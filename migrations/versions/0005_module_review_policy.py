"""modules carry a review policy

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:10:00

NULL means the default: score and path after each attempt, everything after the last one or the key date.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_policy', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('review_policy')
