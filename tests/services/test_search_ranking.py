"""Search ranking on the shipped course (content/modules), imported once per database for the whole module.

Title and headings above body, whole words and phrases above parts, accents as typed above folded look-alikes:
'đất đai' must not rank 'Đại hội' first, 'lũ' must not find 'luật'.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.catalog.search import search
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.content.text import fold
from lms.extensions import db
from tests.conftest import FROZEN_NOW, wipe_rows

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "modules"
QUY_TRINH = "02-quy-trinh-6-buoc"  # module 18, 'Quy trình 6 bước xử lý tình huống'
THIEN_TAI = "03-phong-chong-thien-tai-4-tai-cho"  # module 12: disasters, 'mùa mưa bão' in a heading
KHAN_CAP = "01-nhan-dien-diem-nong"  # module 16: 'lũ lụt' in the body
TIN_GIA = "tin-gia-thu-hoi-dat-sau-sap-nhap"  # module 10's case, 'Tin giả' in its title


@pytest.fixture(scope="module")
def shipped(session_app):
    """The app with the shipped course imported (read-only for the tests of this module)."""
    with session_app.app_context():
        course, problems = load_course(SHIPPED)
        assert problems == []
        import_course(course, FROZEN_NOW, resolver_factory(session_app))
        db.session.commit()
    yield session_app
    wipe_rows(session_app)


@pytest.fixture
def ranked(shipped):
    """ranked(query) -> the first ten hits, best first."""
    with shipped.app_context():
        yield lambda query: search(query, 1, 10).items


def titles(hits) -> list[str]:
    """The hits' titles, folded, without their marks."""
    return [fold("".join(text for text, _ in hit.title)) for hit in hits]


@pytest.mark.parametrize("query", ["đất đai", "dat dai", "ĐẤT ĐAI"])
def test_land_comes_before_congress(ranked, query):
    hits = titles(ranked(query))
    assert "dat dai" in hits[0]
    with_land = [i for i, title in enumerate(hits) if "dat dai" in title]
    congress = [i for i, title in enumerate(hits) if "dai hoi" in title]
    assert len(with_land) >= 4 and all(i > max(with_land[:4]) for i in congress)


@pytest.mark.parametrize("query", ["xu ly tinh huong", "xử lý tình huống"])
def test_handling_situations_finds_the_method_lessons_by_their_titles(ranked, query):
    hits = ranked(query)
    assert all("xu ly tinh huong" in title for title in titles(hits[:2]))
    assert QUY_TRINH in [hit.key for hit in hits[:2]]


def test_fake_news_finds_the_case_titled_so_then_the_lessons_that_say_it(ranked):
    hits = ranked("tin giả")
    assert hits[0].key == TIN_GIA
    assert {"03-xu-ly-thong-tin-xau-doc", "03-ung-pho-khung-hoang-truyen-thong"} <= {h.key for h in hits[1:4]}


def test_storms_and_floods_find_the_disaster_lessons(ranked):
    hits = ranked("bão lũ")
    assert "lu" in titles(hits)[0].split()
    assert THIEN_TAI in [hit.key for hit in hits[:5]]


@pytest.mark.parametrize("query", ["lũ lụt", "lu lut"])
def test_whole_syllables_only_lu_is_not_luat(ranked, query):
    assert sorted(hit.key for hit in ranked(query)) == sorted([KHAN_CAP, THIEN_TAI])


@pytest.mark.parametrize("query", ["mùa mưa bão", "Yagi"])
def test_a_heading_word_ranks_its_lesson_first(ranked, query):
    assert ranked(query)[0].key == THIEN_TAI


def test_the_snippet_marks_the_words_found(ranked):
    hit = ranked("tin giả")[0]
    marked = [fold(text) for text, is_match in hit.snippet + hit.title if is_match]
    assert {"tin", "gia"} <= set(marked)
