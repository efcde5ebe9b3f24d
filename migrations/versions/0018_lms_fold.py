"""lms_fold(text): a name folded for searching, without case or Vietnamese accents

PostgreSQL: lower(unaccent(...)), IMMUTABLE; unaccent turns đ into d. The extension is created by 0014. SQLite
gets the same function from the app on every connection (lms.database), so nothing is stored here.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 22:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # the two-argument unaccent names its dictionary, as an IMMUTABLE function must
        op.execute("CREATE OR REPLACE FUNCTION lms_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
                   "AS $$ SELECT lower(unaccent('unaccent'::regdictionary, $1)) $$")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS lms_fold(text)")
