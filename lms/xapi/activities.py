"""The activities of the course as xAPI sees them (course, cohort, module, lesson, case, question, essay,
document), named in Vietnamese and English, and the home page their IRIs live under."""
from __future__ import annotations

from flask import current_app, has_request_context, request

from lms.catalog.outline import module_view
from lms.domain.cases import CaseKind, Question
from lms.domain.xapi import ASSESSMENT, CASE, COURSE, LESSON, MODULE, QUESTION, Activity
from lms.models import Case, CaseVersion, Cohort, IssuedDocument, Lesson, Module

COURSE_EN = "Leadership and management training for commune and ward Party secretaries"
DOCUMENT_NAMES = {"certificate": ("Giấy chứng nhận hoàn thành", "Certificate of completion"),
                  "transcript": ("Bảng điểm kết quả học tập", "Transcript of records")}


def home_page() -> str:
    """XAPI_HOMEPAGE, else the public base URL, else the address that served the request (development)."""
    configured = current_app.config.get("XAPI_HOMEPAGE") or current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    return request.host_url.rstrip("/") if has_request_context() else "http://localhost"


def course() -> Activity:
    """The course itself."""
    return Activity("course", COURSE, current_app.config["DOCUMENTS"]["course_title"], COURSE_EN)


def cohort(row: Cohort) -> Activity:
    """A class of learners."""
    return Activity(f"cohort/{row.id}", "cohort", row.name, f"Cohort {row.name}")


def grouping(cohort_row: Cohort | None) -> tuple[Activity, ...]:
    """The course, and the learner's cohort when there is one."""
    return (course(),) if cohort_row is None else (course(), cohort(cohort_row))


def cohort_only(cohort_row: Cohort | None) -> tuple[Activity, ...]:
    """The learner's cohort, when there is one (for what has the course itself as its parent)."""
    return () if cohort_row is None else (cohort(cohort_row),)


def module(row: Module) -> Activity:
    """A module (chuyên đề); its key (number and slug) never changes meaning."""
    return Activity(f"module/{row.key}", MODULE, f"Chuyên đề {row.number}: {row.title}", f"Module {row.number}")


def lesson(row: Lesson) -> Activity:
    """A lesson of a module (its title, as written, carries its number)."""
    title = row.current.title if row.current else row.slug
    return Activity(f"lesson/{row.module.key}/{row.slug}", LESSON, title,
                    f"Module {row.module.number}, lesson {row.number}")


def is_knowledge_check(version: CaseVersion) -> bool:
    """True for a knowledge check (an assessment), False for a situation case."""
    return version.kind == CaseKind.KNOWLEDGE_CHECK


def case(row: Case, version: CaseVersion) -> Activity:
    """A situation case (a simulation) or a knowledge check (an assessment), named as the learner saw it."""
    number = module_view(row.module_id).number
    if is_knowledge_check(version):
        return Activity(f"case/{row.slug}", ASSESSMENT, version.title, f"Knowledge check '{row.slug}' of module {number}")
    return Activity(f"case/{row.slug}", CASE, version.title, f"Case '{row.slug}' of module {number}")


def question(row: Case, version: CaseVersion, item: Question) -> Activity:
    """One question of a case."""
    return Activity(f"case/{row.slug}/question/{item.id}", QUESTION, f"Câu hỏi {item.id} – {version.title}",
                    f"Question '{item.id}' of case '{row.slug}'")


def essay(title: str) -> Activity:
    """The course's final essay."""
    return Activity("final-essay", ASSESSMENT, title, "Final essay")


def document(row: IssuedDocument) -> Activity:
    """An issued transcript or certificate, by its verification code."""
    vi, en = DOCUMENT_NAMES.get(row.kind, (row.kind, row.kind))
    return Activity(f"{row.kind}/{row.code}", row.kind if row.kind in DOCUMENT_NAMES else "certificate",
                    f"{vi} {row.code}", f"{en} {row.code}")
