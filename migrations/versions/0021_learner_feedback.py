"""learners' anonymous feedback: feedback_responses (no user column) and feedback_receipts (who has answered)

A response holds the answers to the questionnaire about a chuyên đề (module_id) or the course (module_id NULL) in
a cohort, a random id and the day only; a receipt holds only that a learner answered about that subject in that
cohort. One receipt per learner, subject and cohort: a unique index, plus a partial one for the course (NULLs
never clash in a unique index, on SQLite as on PostgreSQL).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-09 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

COURSE_ONLY = sa.text("module_id IS NULL")


def upgrade():
    op.create_table('feedback_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('useful', sa.SmallInteger(), nullable=True),
    sa.Column('realistic', sa.SmallInteger(), nullable=True),
    sa.Column('applicable', sa.SmallInteger(), nullable=True),
    sa.Column('instructors', sa.SmallInteger(), nullable=True),
    sa.Column('workload', sa.SmallInteger(), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_feedback_responses_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_feedback_responses_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_responses')),
    sqlite_with_rowid=False,  # SQLite would otherwise number the rows in the order they came, as the receipts are
    )
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_responses_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('feedback_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_feedback_receipts_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_feedback_receipts_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feedback_receipts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_receipts'))
    )
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_receipts_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('uq_feedback_receipts_module', ['user_id', 'cohort_id', 'module_id'], unique=True)
        batch_op.create_index('uq_feedback_receipts_course', ['user_id', 'cohort_id'], unique=True,
                              sqlite_where=COURSE_ONLY, postgresql_where=COURSE_ONLY)


def downgrade():
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.drop_index('uq_feedback_receipts_course', sqlite_where=COURSE_ONLY, postgresql_where=COURSE_ONLY)
        batch_op.drop_index('uq_feedback_receipts_module')
        batch_op.drop_index(batch_op.f('ix_feedback_receipts_cohort_id'))

    op.drop_table('feedback_receipts')
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_responses_cohort_id'))

    op.drop_table('feedback_responses')
