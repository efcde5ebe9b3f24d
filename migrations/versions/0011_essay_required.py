"""the final essay can be required to complete the course

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_essays', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('course_essays', schema=None) as batch_op:
        batch_op.drop_column('required')
