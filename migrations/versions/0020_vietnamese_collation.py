"""lms_vi: a collation in Vietnamese dictionary order, for lists of names and communes

PostgreSQL: a copy of ICU's Vietnamese collation ("vi-x-icu"), or of "C" where PostgreSQL was built without ICU
(code-point order, as before). SQLite gets the same collation from the app on every connection (lms.database).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 01:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'lms_vi') THEN
                IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu') THEN
                  CREATE COLLATION lms_vi FROM "vi-x-icu";
                ELSE
                  CREATE COLLATION lms_vi FROM "C";
                END IF;
              END IF;
            END $$""")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP COLLATION IF EXISTS lms_vi")
