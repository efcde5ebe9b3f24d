"""case discussions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:35:03.909808

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('discussions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note_md', sa.Text(), nullable=True),
    sa.Column('note_html', sa.Text(), nullable=True),
    sa.Column('note_by_id', sa.Integer(), nullable=True),
    sa.Column('note_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_discussions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_discussions_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_discussions_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_by_id'], ['users.id'], name=op.f('fk_discussions_note_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussions')),
    sa.UniqueConstraint('case_id', 'cohort_id', name=op.f('uq_discussions_case_id_cohort_id'))
    )
    with op.batch_alter_table('discussions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussions_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('discussion_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('show_choice', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('exemplary', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_posts_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_discussion_posts_discussion_id_discussions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_discussion_posts_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_posts.id'], name=op.f('fk_discussion_posts_thread_id_discussion_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_posts'))
    )
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_discussion_posts_discussion_last', ['discussion_id', 'last_activity_at'], unique=False)
        batch_op.create_index('ix_discussion_posts_thread_created', ['thread_id', 'created_at'], unique=False)

    op.create_table('discussion_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_posts.id'], name=op.f('fk_discussion_follows_thread_id_discussion_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_discussion_follows'))
    )
    with op.batch_alter_table('discussion_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_follows_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_reports_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_discussion_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_discussion_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_reports')),
    sa.UniqueConstraint('post_id', 'reporter_id', name=op.f('uq_discussion_reports_post_id_reporter_id'))
    )
    with op.batch_alter_table('discussion_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_reports_post_id'), ['post_id'], unique=False)

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussion_opens', sa.String(length=20), server_default='after_submit', nullable=False))

    


def downgrade():
    
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('discussion_opens')

    with op.batch_alter_table('discussion_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_reports_post_id'))

    op.drop_table('discussion_reports')
    with op.batch_alter_table('discussion_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_follows_thread_id'))

    op.drop_table('discussion_follows')
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_posts_thread_created')
        batch_op.drop_index('ix_discussion_posts_discussion_last')
        batch_op.drop_index(batch_op.f('ix_discussion_posts_author_id'))

    op.drop_table('discussion_posts')
    with op.batch_alter_table('discussions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussions_cohort_id'))

    op.drop_table('discussions')
    
