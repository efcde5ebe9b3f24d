"""A cohort's issued documents are found by learner (with or without accents) or code, kind and status; a revoked
one already reissued names its replacement instead of offering another reissue."""
from __future__ import annotations

import pytest

from lms.extensions import db
from lms.models import AuditEvent, Enrolment, IssuedDocument, Role
from lms.transcripts import issuer, services
from tests.conftest import csrf_token
from tests.document_helpers import (  # noqa: F401 (instructor, learner are shared fixtures)
    AN,
    COHORT_NAME,
    COMMUNE,
    NHUNG,
    instructor,
    issue,
    learner,
    pass_module,
)


@pytest.fixture
def classmate(make_user):
    return make_user(Role.LEARNER, full_name=AN)


@pytest.fixture
def documents(make_cohort, make_case, instructor, learner, classmate, now):
    """Nhung's transcript (valid) and Ân's (revoked), in one cohort."""
    cohort = make_cohort(name=COHORT_NAME, instructors=[instructor], learners=[learner, classmate], commune=COMMUNE)
    case = make_case()
    pass_module(learner, case, now)
    pass_module(classmate, case, now)
    kept, revoked = issue(learner, cohort, now), issue(classmate, cohort, now)
    services.revoke(revoked, "Cấp nhầm", None, now)
    db.session.commit()
    return cohort, kept, revoked, case


def listed(client, cohort, **args) -> str:
    html = client.get(f"/admin/cohorts/{cohort.id}/documents", query_string=args).get_data(as_text=True)
    return html[html.index('id="issued"'):]


@pytest.mark.parametrize("args, shows, hides", [
    ({"q": "hong nhung"}, "kept", "revoked"),  # typed without accents
    ({"q": "Ân"}, "revoked", "kept"),
    ({"status": "revoked"}, "revoked", "kept"),
    ({"status": "valid", "kind": "transcript"}, "kept", "revoked"),
])
def test_each_filter_narrows_the_list(login_as, documents, args, shows, hides):
    cohort, kept, revoked, _case = documents
    codes = {"kept": kept.code, "revoked": revoked.code}
    html = listed(login_as(Role.ADMIN), cohort, **args)
    assert codes[shows] in html and codes[hides] not in html
    assert "1 văn bản" in html


def test_a_document_is_found_by_part_of_its_code(login_as, documents):
    cohort, kept, revoked, _case = documents
    html = listed(login_as(Role.ADMIN), cohort, q=revoked.code[:10].upper())
    assert revoked.code in html and kept.code not in html


def test_nothing_matching_says_so_and_unknown_values_filter_nothing(login_as, documents):
    cohort, kept, revoked, _case = documents
    client = login_as(Role.ADMIN)
    assert "Không có văn bản nào khớp bộ lọc." in listed(client, cohort, kind="certificate")
    unknown = listed(client, cohort, kind="diploma", status="lost")
    assert kept.code in unknown and revoked.code in unknown and "2 văn bản" in unknown


def test_the_page_reads_each_learner_with_their_document(login_as, documents, make_user, count_queries, now):
    cohort, _kept, _revoked, case = documents
    client = login_as(Role.ADMIN)
    client.get(f"/admin/cohorts/{cohort.id}/documents")
    with count_queries() as few:
        client.get(f"/admin/cohorts/{cohort.id}/documents?status=valid")
    more = [make_user(Role.LEARNER) for _ in range(4)]
    for person in more:
        db.session.add(Enrolment(cohort=cohort, user=person, commune=COMMUNE, enrolled_at=now))
    db.session.commit()
    for person in more:
        pass_module(person, case, now)
        issue(person, cohort, now)
    with count_queries() as many:
        client.get(f"/admin/cohorts/{cohort.id}/documents?status=valid")
    assert many() == few()


def test_a_page_past_the_end_shows_the_last_page_not_an_empty_list(login_as, documents):
    cohort, kept, revoked, _case = documents
    html = listed(login_as(Role.ADMIN), cohort, page="99")
    assert kept.code in html and revoked.code in html and "Chưa cấp văn bản nào" not in html


def reissue(person, cohort, now) -> IssuedDocument:
    """An administrator's reissue of the learner's revoked transcript, through the service, committed."""
    document = services.issue(person, cohort, "transcript", None, now, issuer.keyring(), issuer.settings(),
                              issuer.verify_url, reissue_reason="Đã xác minh lại hồ sơ")
    db.session.commit()
    return document


def test_a_revoked_document_already_reissued_names_its_replacement_instead_of_offering_a_reissue(
        login_as, documents, classmate, now):
    cohort, _kept, revoked, _case = documents
    client = login_as(Role.ADMIN)
    offer = f'href="/admin/documents/{revoked.code}/reissue"'
    assert offer in listed(client, cohort)
    new = reissue(classmate, cohort, now)
    html = listed(client, cohort)
    assert offer not in html
    assert f'Đã cấp lại: <a href="/verify/{new.code}"><code>{new.code}</code></a>' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_reissuing_a_document_already_reissued_leads_back_to_the_list_naming_the_new_one(login_as, documents,
                                                                                           classmate, now, method):
    cohort, _kept, revoked, _case = documents
    new = reissue(classmate, cohort, now)
    documents_before = db.session.query(IssuedDocument).count()
    client = login_as(Role.ADMIN)
    audited_before = db.session.query(AuditEvent).count()
    path = f"/admin/documents/{revoked.code}/reissue"
    data = {"csrf_token": csrf_token(client, f"/admin/cohorts/{cohort.id}/documents"), "reason": "Cấp lại lần nữa"}
    response = getattr(client, method)(path, **({"data": data} if method == "post" else {}))
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/cohorts/{cohort.id}/documents"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Văn bản {revoked.code} đã được cấp lại: văn bản mới còn hiệu lực là {new.code}." in page
    assert db.session.query(IssuedDocument).count() == documents_before
    assert db.session.query(AuditEvent).count() == audited_before


def test_revoked_documents_find_their_replacements_in_the_lists_query(login_as, documents, classmate, make_user,
                                                                       count_queries, now):
    cohort, _kept, _revoked, case = documents
    reissue(classmate, cohort, now)
    client = login_as(Role.ADMIN)
    url = f"/admin/cohorts/{cohort.id}/documents?status=revoked"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    more = [make_user(Role.LEARNER) for _ in range(4)]
    for person in more:
        db.session.add(Enrolment(cohort=cohort, user=person, commune=COMMUNE, enrolled_at=now))
    db.session.commit()
    for person in more:
        pass_module(person, case, now)
        services.revoke(issue(person, cohort, now), "Cấp nhầm", None, now)
        db.session.commit()
        reissue(person, cohort, now)
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert html.count("Đã cấp lại:") == 5
    assert many() == few()
