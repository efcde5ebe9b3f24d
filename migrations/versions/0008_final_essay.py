"""the course's final essay and learners' submissions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:45:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_essays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('brief_md', sa.Text(), nullable=False),
    sa.Column('brief_html', sa.Text(), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('pass_mark', sa.Float(), nullable=False),
    sa.Column('max_chars', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_essays'))
    )
    op.create_table('essay_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('file_kind', sa.String(length=8), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rubric_scores', sa.JSON(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_essay_submissions_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['graded_by_id'], ['users.id'], name=op.f('fk_essay_submissions_graded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_essay_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_essay_submissions')),
    sa.UniqueConstraint('user_id', 'cohort_id', name=op.f('uq_essay_submissions_user_id_cohort_id'))
    )
    with op.batch_alter_table('essay_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_essay_submissions_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_essay_submissions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_essay_submissions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('essay_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_essay_submissions_user_id'))
        batch_op.drop_index(batch_op.f('ix_essay_submissions_state'))
        batch_op.drop_index(batch_op.f('ix_essay_submissions_cohort_id'))
    op.drop_table('essay_submissions')
    op.drop_table('course_essays')
