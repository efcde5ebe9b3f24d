"""Full-text search of the current lessons and cases, in the database's own engine behind one ranking.

The index (`search_index`, migration 0014) holds one row per lesson or case: the text of its current version in
four weighted fields (title, headings, summary, body), each as written and folded (no accents, 'đ' as 'd').
SQLite keeps it in an FTS5 table; PostgreSQL in two tsvector columns ('simple' and 'lms_folded', which runs the
`unaccent` dictionary) with a GIN index. A row is written whenever a version becomes current (`index_version`).

A query is only ever built from the words `search_terms` keeps, each quoted: what a learner types never reaches
the MATCH or tsquery language. Every word must occur, folded (the last may be the start of a word). The score is
the engine's own relevance (bm25 or ts_rank, of the words as typed, of the phrase, in weighted fields; 0 to 8)
plus fixed bonuses for every word in the title (3 as typed, 2 folded), in the headings or summary (1 and 1), and
anywhere as whole words (2 and 1): title and headings above body, whole words above parts, the accents as typed
above look-alikes ('đất đai' above 'Đại hội', 'đạt').
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, literal_column, select, table, text
from sqlalchemy.orm import joinedload

from lms.content.search import SearchDocument, Segment, Term, highlight, search_terms, snippet
from lms.content.text import fold
from lms.extensions import db
from lms.models import Case, Lesson, Module
from lms.pagination import paginate

FIELDS = ("title", "headings", "summary", "body")
ALL = FIELDS
CURRENT = ("(kind = 'lesson' AND version_id IN (SELECT current_version_id FROM lessons WHERE number > 0))"
           " OR (kind = 'case' AND version_id IN (SELECT current_version_id FROM cases))")


@dataclass(frozen=True)
class Feature:
    """Rows that match the query a stricter way earn a bonus: in these fields, accents as typed or folded, every
    whole word, or the words in order."""

    fields: tuple[str, ...]
    folded: bool
    mode: str  # "prefix": every word (the last may be the start of one); "words": every whole word;
    # "phrase": the words in order; "any": at least one word (the last two only feed the engine's relevance)
    weight: float  # the bonus


FILTER = Feature(ALL, True, "prefix", 0)
ANY_EXACT = Feature(ALL, False, "any", 0)
PHRASES = (Feature(ALL, False, "phrase", 0), Feature(ALL, True, "phrase", 0))
FEATURES = (
    Feature(("title",), False, "words", 3), Feature(("title",), True, "words", 2),
    Feature(("headings", "summary"), False, "words", 1), Feature(("headings", "summary"), True, "words", 1),
    Feature(ALL, False, "words", 2), Feature(ALL, True, "words", 1),
)


class Fts5:
    """SQLite: one FTS5 table; the folded copies of the fields are folded here, with `fold`."""

    key = "search_index.rowid"

    @staticmethod
    def expression(terms: tuple[Term, ...], feature: Feature) -> str:
        """An FTS5 query of quoted words restricted to the feature's columns."""
        words = [(t.folded if feature.folded else t.exact).replace('"', '""') for t in terms]
        if feature.mode == "phrase":
            inner = '"' + " ".join(words) + '"'
        else:
            stars = ["*" if feature.mode == "prefix" and t.prefix else "" for t in terms]
            inner = (" OR " if feature.mode == "any" else " AND ").join(
                f'"{word}"{star}' for word, star in zip(words, stars, strict=True))
        suffix = "_folded" if feature.folded else ""
        return "{" + " ".join(name + suffix for name in feature.fields) + "} : (" + inner + ")"

    @staticmethod
    def matches(param: str, feature: Feature) -> str:
        """SQL true for the rows matching the expression bound to `param`."""
        return f"search_index.rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH :{param})"

    @classmethod
    def filter(cls, terms: tuple[Term, ...]) -> dict[str, str]:
        """The MATCH of every folded word, AND an OR that filters nothing but feeds bm25: the words as typed, and
        the phrase as typed and folded (bm25 weighs what occurs in few rows, often, in short fields)."""
        every = cls.expression(terms, FILTER)
        extra = [ANY_EXACT, *(PHRASES if len(terms) > 1 else ())]
        return {"filter": f"({every}) AND ({' OR '.join(f'({cls.expression(terms, f)})' for f in extra)} OR ({every}))"}

    where = "search_index MATCH :filter"
    # bm25 is lower for better rows: with r = -bm25, 8r / (10 + r) runs from 0 to 8. Title, headings, summary and
    # body weigh 8, 4, 2 and 1, as typed or folded.
    relevance = "(-8.0 * bm25(search_index, 0, 0, 0, 8, 4, 2, 1, 8, 4, 2, 1) / (10.0 - bm25(search_index, 0, 0, 0, " \
                "8, 4, 2, 1, 8, 4, 2, 1)))"

    @staticmethod
    def insert(row: dict) -> None:
        """Write the row, with its folded copies."""
        folded = {f"{name}_folded": fold(row[name]) for name in FIELDS}
        db.session.execute(text(
            "INSERT INTO search_index (rowid, kind, item_id, version_id, title, headings, summary, body, "
            "title_folded, headings_folded, summary_folded, body_folded) VALUES (:id, :kind, :item_id, :version_id, "
            ":title, :headings, :summary, :body, :title_folded, :headings_folded, :summary_folded, :body_folded)"),
            {**row, **folded})


class TsVector:
    """PostgreSQL: tsvector columns the table computes itself, weights A-D for the four fields."""

    key = "search_index.id"
    LABELS = {"title": "A", "headings": "B", "summary": "C", "body": "D"}
    OPERATORS = {"phrase": " <-> ", "any": " | "}

    @classmethod
    def expression(cls, terms: tuple[Term, ...], feature: Feature) -> str:
        """A tsquery of quoted words with weight labels for the feature's fields ('lms_folded' folds them)."""
        labels = "" if feature.fields == ALL else "".join(cls.LABELS[name] for name in feature.fields)
        words = [t.exact.replace("\\", "\\\\").replace("'", "''") for t in terms]
        marks = [("*" if feature.mode == "prefix" and t.prefix else "") + labels for t in terms]
        return cls.OPERATORS.get(feature.mode, " & ").join(
            f"'{word}':{mark}" if mark else f"'{word}'" for word, mark in zip(words, marks, strict=True))

    @staticmethod
    def matches(param: str, feature: Feature) -> str:
        """SQL true for the rows matching the tsquery bound to `param`."""
        if feature.folded:
            return f"search_index.folded_doc @@ to_tsquery('lms_folded', :{param})"
        return f"search_index.exact_doc @@ to_tsquery('simple', :{param})"

    @classmethod
    def filter(cls, terms: tuple[Term, ...]) -> dict[str, str]:
        """The tsquery of every folded word, and the relevance's: any word as typed or the phrase (typed, folded)."""
        every = cls.expression(terms, FILTER)
        exact, folded = [ANY_EXACT, *PHRASES[:1]], [FILTER, *PHRASES[1:]]
        if len(terms) < 2:
            exact, folded = exact[:1], folded[:1]
        return {"filter": every, "rank_exact": " | ".join(f"({cls.expression(terms, f)})" for f in exact),
                "rank_folded": " | ".join(f"({cls.expression(terms, f)})" for f in folded)}

    where = "search_index.folded_doc @@ to_tsquery('lms_folded', :filter)"
    # ts_rank runs from 0 to 1 (weights D, C, B, A: body to title): 0 to 8 in all, like bm25's share above.
    relevance = ("4 * ts_rank('{0.1, 0.2, 0.4, 1.0}', search_index.exact_doc, to_tsquery('simple', :rank_exact))"
                 " + 4 * ts_rank('{0.1, 0.2, 0.4, 1.0}', search_index.folded_doc, "
                 "to_tsquery('lms_folded', :rank_folded))")

    @staticmethod
    def insert(row: dict) -> None:
        """Write the row; the tsvector columns are generated from the fields."""
        db.session.execute(text(
            "INSERT INTO search_index (id, kind, item_id, version_id, title, headings, summary, body) "
            "VALUES (:id, :kind, :item_id, :version_id, :title, :headings, :summary, :body)"), row)


def _engine():
    return TsVector if db.session.get_bind().dialect.name == "postgresql" else Fts5


def _row_id(kind: str, item_id: int) -> int:
    return item_id * 2 + (kind == "case")


def index_version(kind: str, item_id: int, version_id: int, document: SearchDocument) -> None:
    """Make this version the indexed text of the lesson or case ('lesson' or 'case'), replacing the last one."""
    row_id = _row_id(kind, item_id)
    engine = _engine()
    db.session.execute(text(f"DELETE FROM search_index WHERE {engine.key.split('.')[1]} = :id"), {"id": row_id})
    engine.insert({"id": row_id, "kind": kind, "item_id": item_id, "version_id": version_id,
                   "title": document.title, "headings": document.headings, "summary": document.summary,
                   "body": document.body})


def indexed_versions() -> set[tuple[str, int]]:
    """(kind, version id) of every row in the index."""
    return {(kind, version_id) for kind, version_id in db.session.execute(
        text("SELECT kind, version_id FROM search_index"))}


@dataclass(frozen=True)
class SearchHit:
    """A lesson or case that matches a query, with its title and a snippet, matches marked."""

    kind: str
    module: Module
    key: str  # lesson key or case slug
    title: list[Segment]
    snippet: list[Segment]


def _ranked(terms: tuple[Term, ...]):
    """The ids of the matching current rows, best first, as a select to page."""
    engine = _engine()
    matching = engine.filter(terms)
    params, bonuses = {}, []
    for number, feature in enumerate(FEATURES):
        params[f"f{number}"] = engine.expression(terms, feature)
        bonuses.append(f"CASE WHEN {engine.matches(f'f{number}', feature)} THEN {feature.weight} ELSE 0 END")
    params.update({name: value for name, value in matching.items() if name != "filter"})
    where = text(f"({engine.where}) AND ({CURRENT})").bindparams(filter=matching["filter"])
    order = text(f"{' + '.join([engine.relevance, *bonuses])} DESC").bindparams(**params)
    return (select(literal_column(engine.key)).select_from(table("search_index"))
            .where(where).order_by(order, literal_column(engine.key)))


def search(query: str, page: int, per_page: int | None = None):
    """One page of the current lessons and cases matching the query, best first; None when it has no word."""
    terms = search_terms(query)
    if not terms:
        return None
    result = paginate(_ranked(terms), page, per_page)
    result.items = _hits(list(result.items), terms)
    return result


def _hits(ids: list[int], terms: tuple[Term, ...]) -> list[SearchHit]:
    """The hits for these index rows, in this order."""
    if not ids:
        return []
    key = _engine().key
    rows = {row.id: row for row in db.session.execute(text(
        f"SELECT {key} AS id, kind, item_id, title, headings, summary, body FROM search_index WHERE {key} IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": ids})}
    lesson_ids = [row.item_id for row in rows.values() if row.kind == "lesson"]
    case_ids = [row.item_id for row in rows.values() if row.kind == "case"]
    lessons = {lesson.id: lesson for lesson in db.session.scalars(
        select(Lesson).where(Lesson.id.in_(lesson_ids)).options(joinedload(Lesson.module)))} if lesson_ids else {}
    cases = {case.id: case for case in db.session.scalars(
        select(Case).where(Case.id.in_(case_ids)).options(joinedload(Case.module)))} if case_ids else {}
    hits = []
    for row in (rows[i] for i in ids if i in rows):
        item = lessons.get(row.item_id) if row.kind == "lesson" else cases.get(row.item_id)
        if item is None:
            continue
        hits.append(SearchHit(row.kind, item.module, item.key if row.kind == "lesson" else item.slug,
                              highlight(row.title, terms), _snippet(row, terms)))
    return hits


def _snippet(row, terms: tuple[Term, ...]) -> list[Segment]:
    """The snippet of the body where it matches, else of the headings, else the summary."""
    for field in (row.body, row.headings):
        segments = snippet(field, terms)
        if any(marked for _part, marked in segments):
            return segments
    return snippet(row.summary, terms)

