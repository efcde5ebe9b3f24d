"""attempts remember the corrected version their key was regraded with

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:20:00

An attempt stays pinned to the version it answered (case_version_id); regraded_version_id names the
corrected version whose key scored it, so the review can say what the correction changed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regraded_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attempts_regraded_version_id_case_versions'), 'case_versions',
                                    ['regraded_version_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempts_regraded_version_id_case_versions'), type_='foreignkey')
        batch_op.drop_column('regraded_version_id')
