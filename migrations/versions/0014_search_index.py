"""full-text search index of lessons and cases

SQLite: an FTS5 table whose fields are stored as written and folded (no accents, 'đ' as 'd', folded by the
app). PostgreSQL: a table with two generated tsvector columns, 'simple' and 'lms_folded' (a copy of 'simple'
that runs the `unaccent` dictionary first), the folded one under a GIN index. Weights: title, headings, summary,
body. `flask content import` indexes the lessons and cases that were current before this revision.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:40:00

"""
from alembic import op
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

FIELDS = ("title", "headings", "summary", "body")
WEIGHTS = ("A", "B", "C", "D")


def _tsvector(config: str) -> str:
    return " || ".join(f"setweight(to_tsvector('{config}', {field}), '{weight}')"
                       for field, weight in zip(FIELDS, WEIGHTS))


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION lms_folded (COPY = simple)")
        op.execute("ALTER TEXT SEARCH CONFIGURATION lms_folded ALTER MAPPING FOR word, hword, hword_part, "
                   "numword, numhword, hword_numpart WITH unaccent, simple")
        op.execute(f"""CREATE TABLE search_index (
            id INTEGER PRIMARY KEY,
            kind VARCHAR(10) NOT NULL,
            item_id INTEGER NOT NULL,
            version_id INTEGER NOT NULL,
            title TEXT NOT NULL, headings TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
            exact_doc TSVECTOR GENERATED ALWAYS AS ({_tsvector('simple')}) STORED,
            folded_doc TSVECTOR GENERATED ALWAYS AS ({_tsvector('lms_folded')}) STORED)""")
        op.execute("CREATE INDEX ix_search_index_folded_doc ON search_index USING GIN (folded_doc)")
    else:
        folded = ", ".join(f"{field}_folded" for field in FIELDS)
        op.execute(f"CREATE VIRTUAL TABLE search_index USING fts5(kind UNINDEXED, item_id UNINDEXED, "
                   f"version_id UNINDEXED, {', '.join(FIELDS)}, {folded}, tokenize = 'unicode61 remove_diacritics 0')")


def downgrade():
    op.execute("DROP TABLE IF EXISTS search_index")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS lms_folded")
