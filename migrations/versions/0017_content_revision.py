"""content revision token for caches of the course structure

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:05:00

"""
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'content_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revisions')),
    )
    revisions = sa.table('content_revisions', sa.column('id', sa.Integer), sa.column('token', sa.String),
                         sa.column('changed_at', sa.DateTime(timezone=True)))
    op.bulk_insert(revisions, [{'id': 1, 'token': uuid.uuid4().hex, 'changed_at': datetime.now(timezone.utc)}])


def downgrade():
    op.drop_table('content_revisions')
