"""The search page: its states, highlighted and escaped snippets, pages, any query without an error, and the
search box on every lesson page (a plain GET form: no JavaScript needed)."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.conftest import csrf_token
from tests.services.conftest import add_lesson
from tests.services.test_search import MALFORMED

HIT_RE = re.compile(r'<li>\s*<a href="(/modules/[^"/]+/lessons/[^"]+|/cases/[^"]+)"')


def page(client, url: str) -> str:
    """GET a page that must answer 200 and return its HTML."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_without_a_query_the_page_says_what_to_type(learner):
    html = page(learner, "/search")
    assert 'role="search"' in html and "Gõ vài từ để tìm" in html and not HIT_RE.findall(html)


def test_no_results_and_no_words_are_told_apart(learner, lesson):
    assert "Không tìm thấy kết quả cho “chăn nuôi”" in page(learner, "/search?q=chăn+nuôi")
    assert "Không có từ nào để tìm" in page(learner, "/search?q=" + quote('*** "" ( ) -'))


def test_the_states_speak_english_in_english(learner, lesson):
    learner.post("/language", data={"lang": "en", "csrf_token": csrf_token(learner, "/")})
    assert "No results for “chăn nuôi”" in page(learner, "/search?q=chăn+nuôi")
    assert "nothing to search for" in page(learner, "/search?q=***")


def test_matches_are_marked_and_the_lesson_text_is_escaped(learner, module, now):
    add_lesson(module, now, number=2, slug="ma-doc",
               body="Tin nhắn chứa `<script>alert('đất đai')</script>` và <b>thẻ</b> lạ về đất đai.")
    html = page(learner, "/search?q=dat+dai")
    assert HIT_RE.findall(html) == [f"/modules/{module.key}/lessons/02-ma-doc"]
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "&lt;script&gt;alert(&#39;<mark>đất</mark> <mark>đai</mark>&#39;)&lt;/script&gt;" in snippet
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}


def test_a_title_that_looks_like_markup_is_shown_as_text(learner, module, now):
    from lms.catalog.store import new_lesson_version
    from lms.content.schema import LessonDoc
    from lms.extensions import db
    from lms.models import Lesson

    lesson = Lesson(module=module, number=3, slug="the")
    db.session.add(lesson)
    db.session.flush()
    new_lesson_version(lesson, LessonDoc(3, "the", "Đất <i>đai</i> & <script>", "Tóm tắt.", "Nội dung."),
                       lambda *_: None, now)
    db.session.commit()
    title = re.search(r'<a href="/modules/[^"]+/lessons/03-the">(.*?)</a>', page(learner, "/search?q=dat+dai")).group(1)
    assert title == "<mark>Đất</mark> &lt;i&gt;<mark>đai</mark>&lt;/i&gt; &amp; &lt;script&gt;"


def test_results_come_in_pages_that_keep_the_query(learner, module, now):
    for number in range(1, 28):
        add_lesson(module, now, number=number, slug=f"bai-{number}", body="Phòng cháy chữa cháy ở khu dân cư.")
    first = page(learner, "/search?q=ph%C3%B2ng+ch%C3%A1y")
    assert len(HIT_RE.findall(first)) == 25 and "27 kết quả" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "q=ph%C3%B2ng" in next_link and "page=2" in next_link
    second = page(learner, next_link)
    assert len(HIT_RE.findall(second)) == 2 and 'start="26"' in second
    assert not set(HIT_RE.findall(first)) & set(HIT_RE.findall(second))
    past_the_end = page(learner, "/search?q=ph%C3%B2ng+ch%C3%A1y&page=9")  # an old link: the last page
    assert len(HIT_RE.findall(past_the_end)) == 2 and 'start="26"' in past_the_end


@pytest.mark.parametrize("page_number", ["0", "-1", "abc", "99999999999999"])
def test_a_bad_page_number_is_the_first_page(learner, lesson, page_number):
    assert len(HIT_RE.findall(page(learner, f"/search?q=noi+dung&page={page_number}"))) == 1


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_answer_a_page(learner, lesson, query):
    # a NUL character is refused before any view, on every page alike (lms.security)
    assert learner.get("/search?q=" + quote(query)).status_code == (400 if "\x00" in query else 200)


def test_every_lesson_page_has_a_search_box(learner, lesson, module):
    html = page(learner, f"/modules/{module.key}/lessons/{lesson.key}")
    form = re.search(r'<form method="get" action="/search"[^>]*role="search">(.*?)</form>', html, re.S)
    assert form and 'name="q"' in form.group(1)


def test_a_page_of_results_costs_the_same_statements_however_many_hits(learner, make_case, count_queries, now):
    def cost() -> int:
        """Statements of a search that finds the lessons and the cases (a lesson and a case at least)."""
        learner.get("/search?q=loi+di")  # the session is loaded once
        with count_queries() as statements:
            links = HIT_RE.findall(page(learner, "/search?q=l%E1%BB%91i+%C4%91i"))
        assert any(link.startswith("/cases/") for link in links) and any("/lessons/" in link for link in links)
        return statements()

    module = make_case().module
    add_lesson(module, now, body="Lối đi chung.")
    few = cost()
    for number in range(2, 20):
        add_lesson(module, now, number=number, slug=f"bai-{number}", body="Lối đi chung giữa hai nhà.")
    make_case(slug="loi-di-thu-hai")
    assert cost() == few
