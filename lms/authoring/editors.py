"""The editor's adapters, one per kind of content it edits (lessons, cases): how an item and its draft are found,
loaded into the editor's form and read back as file text, checked by the content validator, previewed,
published, listed by version, compared, restored and downloaded. The views in routes.py work through them only.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from lms.authoring import queries, services, sources
from lms.authoring.forms import CaseForm, LessonForm, NewCaseForm, NewLessonForm
from lms.catalog.store import render_case
from lms.content.cueing import case_cues
from lms.content.frontmatter import normalize_text
from lms.content.render import LinkResolver, render_markdown
from lms.content.schema import Problem
from lms.forms import Form
from lms.models import ContentDraft, Module, User


@dataclass(frozen=True)
class Checked:
    """A text after the content validator: its content object when valid, and every problem with its location."""

    doc: Any
    problems: list[Problem] = field(default_factory=list)
    body_offset: int = 0  # lines of a lesson file before its body: problems point at lines of the body field
    warnings: list[Problem] = field(default_factory=list)  # cues that give the key away: shown, not blocking


class Editor(ABC):
    """What the editor needs of one kind of content; the parts every kind shares are written here once."""

    kind: str  # the drafts' kind and the endpoints' suffix: edit_lesson, edit_case
    items: str  # the part of the URL naming the kind: /lessons/, /cases/
    key_arg: str  # the URL argument naming one item
    template: str  # the file editor's page

    # Finding and loading ------------------------------------------------------------------------------------

    @abstractmethod
    def find(self, module: Module, key: str) -> Any:
        """The module's item with this key (with or without a current version), or None."""

    def get_draft(self, module: Module, key: str) -> ContentDraft | None:
        """The item's draft in progress, or None."""
        return queries.get_draft(module, self.kind, key)

    @abstractmethod
    def key_of(self, item) -> str:
        """The key naming the item in URLs, drafts and file names."""

    @abstractmethod
    def key_of_doc(self, doc) -> str:
        """The key of a validated content object."""

    @abstractmethod
    def new_form(self, module: Module) -> tuple[Form, str]:
        """The form for a new item of the module, and the key it will take."""

    @abstractmethod
    def edit_form(self) -> Form:
        """The form editing an existing item or draft."""

    @abstractmethod
    def load_form(self, form: Form, item, draft: ContentDraft | None) -> None:
        """Fill the form with the draft if there is one, else with the item's current version."""

    @abstractmethod
    def form_text(self, form: Form, key: str) -> str:
        """The file text of the posted form, valid or not."""

    def title_of(self, item, draft: ContentDraft | None) -> str:
        """The title the editor's heading shows: the draft's (the text being edited), else the current version's."""
        current = item.current.title if item is not None and item.current is not None else ""
        return (sources.front_matter_title(draft.text) if draft else "") or current

    # Drafts ---------------------------------------------------------------------------------------------------

    def save_draft(self, module: Module, item, key: str, text: str, actor: User, now: datetime) -> ContentDraft:
        """Keep the text as the item's draft, noting the version it was based on."""
        base = item.current.version if item is not None and item.current is not None else None
        return services.save_draft(module, self.kind, key, text, base, actor, now)

    def discard_draft(self, module: Module, key: str, actor: User, now: datetime) -> bool:
        """Throw the item's draft away."""
        return services.discard_draft(module, self.kind, key, actor, now)

    # Check, preview, publish -------------------------------------------------------------------------------

    @abstractmethod
    def check(self, module: Module, key: str, text: str) -> Checked:
        """The text validated as the file the key names, its links checked against the database."""

    def check_upload(self, module: Module, name: str, data: bytes) -> Checked:
        """The validated lesson or case in an uploaded file named `name`, or its problems."""
        text, problems = sources.decode_upload(data)
        if text is None:
            return Checked(None, problems)
        return self.check(module, name.rsplit("/", 1)[-1].removesuffix(".md"), text)

    @abstractmethod
    def preview(self, text: str, checked: Checked, resolve: LinkResolver) -> dict[str, Any]:
        """What the editor's page shows as the preview of the text (values for its template)."""

    @abstractmethod
    def publish(self, module: Module, item, doc, resolve: LinkResolver, actor: User, now: datetime,
                via: str = "editor"):
        """Make the validated content the item's new version (creating the item if new); None if unchanged."""

    # Versions -------------------------------------------------------------------------------------------------

    @abstractmethod
    def list_versions(self, item) -> list[tuple[Any, str | None]]:
        """Every version, newest first, with its author's name."""

    @abstractmethod
    def get_version(self, item, number: int):
        """One version by its number, or None."""

    @abstractmethod
    def version_text(self, item, version) -> str:
        """The file text of a version ('' for none), as compared and downloaded."""

    @abstractmethod
    def restore(self, item, version, resolve: LinkResolver, actor: User, now: datetime):
        """Publish an earlier version's text as a new version; the old one stays as it was."""

    @abstractmethod
    def restore_question(self, version) -> str:
        """The question confirming a restore."""

    def diff(self, item, version) -> list[tuple[str, str]]:
        """What a version changed against the one before it, as (css class, line) pairs."""
        before = self.get_version(item, version.version - 1)
        return sources.diff_lines(self.version_text(item, before), self.version_text(item, version),
                                  f"v{version.version - 1}", f"v{version.version}")

    def download(self, item) -> tuple[str, str]:
        """The current version's file text and file name."""
        return self.version_text(item, item.current), f"{self.key_of(item)}.md"


class LessonEditor(Editor):
    """Lessons: edited as title, summary and Markdown body; the file is NN-slug.md."""

    kind, items, key_arg, template = "lesson", "lessons", "lesson_key", "authoring/lesson_editor.html"

    def find(self, module, key):
        return queries.get_lesson(module, key)

    def key_of(self, item):
        return item.key

    def key_of_doc(self, doc):
        return doc.key

    def new_form(self, module):
        form = NewLessonForm()
        form.taken_slugs = queries.taken_lesson_slugs(module)
        return form, f"{queries.next_lesson_number(module):02d}-{form.slug.data or ''}"

    def edit_form(self):
        return LessonForm()

    def load_form(self, form, item, draft):
        current = item.current if item is not None else None
        fields = sources.lesson_fields(draft.text) if draft else (current.title, current.summary, current.body_md)
        form.title.data, form.summary.data, form.body.data = fields

    def form_text(self, form, key):
        return sources.lesson_file(int(key[:2]), key[3:], form.title.data or "", form.summary.data or "",
                                   form.body.data or "")

    def check(self, module, key, text):
        doc, problems = sources.check_lesson(text, key, queries.get_link_index(lesson=(module.key, key)), module.key)
        return Checked(doc, problems, sources.body_offset(text))

    def preview(self, text, checked, resolve):
        return {"preview": render_markdown(sources.lesson_fields(text)[2], resolve)}

    def publish(self, module, item, doc, resolve, actor, now, via="editor"):
        return services.publish_lesson(module, item, doc, resolve, actor, now, via=via)

    def list_versions(self, item):
        return queries.list_lesson_versions(item)

    def get_version(self, item, number):
        return queries.get_lesson_version(item, number)

    def version_text(self, item, version):
        return queries.lesson_text(item, version)

    def restore(self, item, version, resolve, actor, now):
        return services.restore_lesson_version(item, version, resolve, actor, now)

    def restore_question(self, version):
        return _("Khôi phục phiên bản %(v)s của bài %(t)s? Hệ thống tạo một phiên bản mới; các phiên bản cũ giữ "
                 "nguyên.", v=version.version, t=version.title)


class CaseEditor(Editor):
    """Cases: edited as their whole file (front matter, then the two sections), or built by the structured form."""

    kind, items, key_arg, template = "case", "cases", "slug", "authoring/case_editor.html"

    def find(self, module, key):
        return queries.get_case(module, key)

    def key_of(self, item):
        return item.slug

    def key_of_doc(self, doc):
        return doc.slug

    def new_form(self, module):
        form = NewCaseForm(is_slug_taken=lambda slug: queries.is_case_slug_taken(slug, module))
        if not form.is_submitted():
            form.text.data = sources.case_template()
        return form, form.slug.data or ""

    def edit_form(self):
        return CaseForm()

    def load_form(self, form, item, draft):
        form.text.data = draft.text if draft else item.current.source_md

    def form_text(self, form, key):
        return normalize_text(form.text.data or "")

    def check(self, module, key, text):
        doc, problems = sources.check_case(text, key, queries.get_link_index(case=key), module.key)
        warnings = case_cues(doc) if doc is not None else []
        if warnings and current_app.config.get("CUEING_STRICT"):  # the school may make the warnings refuse
            return Checked(None, problems + warnings)
        return Checked(doc, problems, warnings=warnings)

    def preview(self, text, checked, resolve):
        return {"definition": checked.doc, "rendered": render_case(checked.doc, resolve) if checked.doc else None}

    def publish(self, module, item, doc, resolve, actor, now, via="editor"):
        return services.publish_case(module, item, doc, resolve, actor, now, via=via)

    def list_versions(self, item):
        return queries.list_case_versions(item)

    def get_version(self, item, number):
        return queries.get_case_version(item, number)

    def version_text(self, item, version):
        return version.source_md if version else ""

    def restore(self, item, version, resolve, actor, now):
        return services.restore_case_version(item, version, resolve, actor, now)

    def restore_question(self, version):
        return _("Khôi phục phiên bản %(v)s của tình huống %(t)s? Hệ thống tạo một phiên bản mới; các bài làm cũ "
                 "vẫn giữ phiên bản đã làm.", v=version.version, t=version.title)


LESSONS, CASES = LessonEditor(), CaseEditor()
EDITORS: dict[str, Editor] = {editor.kind: editor for editor in (LESSONS, CASES)}
