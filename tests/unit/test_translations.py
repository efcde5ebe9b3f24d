"""Every user-visible string is in the catalogs, translated, with its placeholders intact.

The messages are re-extracted from the current source (as `make messages` does) into a temporary .pot,
so a string added without a translation fails here, by name.  To fix a failure: `make messages`,
translate the new entries, `make translations` (see scripts/check_translations.py).
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_translations.py"
HINT = "\nRefresh the catalogs: make messages, translate these entries, make translations."


def _load_checker() -> types.ModuleType:
    """scripts/check_translations.py as a module, without writing bytecode into the repository."""
    module = types.ModuleType("check_translations")
    module.__file__ = str(SCRIPT)
    sys.modules.setdefault(module.__name__, module)
    exec(compile(SCRIPT.read_text(encoding="utf-8"), str(SCRIPT), "exec"), module.__dict__)  # noqa: S102
    return module


checker = _load_checker()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the current source, through a temporary .pot (the repository is not touched)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with pot.open("wb") as handle:
        write_po(handle, checker.extract_messages(ROOT), sort_output=True)
    with pot.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def catalogs():
    found = {}
    for lang in ("en", "vi"):
        path = checker.catalog_path(ROOT, lang)
        assert path.exists(), f"{path.relative_to(ROOT)} is missing{HINT}"
        found[lang] = checker.read_catalog(path)
    return found


def _label(message) -> str:
    return f"{checker._key(message.id)!r} ({checker.where(message.locations)})"


def test_extraction_sees_templates_python_and_content_messages(extracted):
    ids = {m.id for m in extracted if m.id}
    assert "Đăng nhập" in ids  # a Jinja template
    assert "Vui lòng đăng nhập để tiếp tục." in ids  # _l() in Python
    assert "module.md missing" in ids  # N_() in lms/content
    assert len(ids) > 100


def test_every_vietnamese_message_has_an_english_translation(extracted, catalogs):
    offenders = []
    for message in extracted:
        if message.id and not checker.is_content_message(message.locations):
            reason = checker.translation_problem(catalogs["en"].get(message.id, message.context))
            if reason:
                offenders.append(f"en: {reason}: {_label(message)}")
    assert not offenders, "\n".join(offenders) + HINT


def test_every_content_message_has_a_vietnamese_translation(extracted, catalogs):
    offenders = []
    for message in extracted:
        if message.id and checker.is_content_message(message.locations):
            reason = checker.translation_problem(catalogs["vi"].get(message.id, message.context))
            if reason:
                offenders.append(f"vi: {reason}: {_label(message)}")
            if catalogs["en"].get(message.id, message.context) is None:
                offenders.append(f"en: missing from the catalog (run `make messages`): {_label(message)}")
    assert not offenders, "\n".join(offenders) + HINT


def test_no_fuzzy_entries(catalogs):
    offenders = [f"{lang}: catalog header is fuzzy" for lang, catalog in catalogs.items() if catalog.fuzzy]
    offenders += [f"{lang}: fuzzy: {_label(m)}" for lang, catalog in catalogs.items() for m in catalog
                  if m.id and m.fuzzy]
    assert not offenders, "\n".join(offenders) + "\nCheck each entry, then remove its `#, fuzzy` flag."


def test_translations_keep_the_placeholders_of_their_msgid(catalogs):
    offenders = [f"{lang}: {problem}: {_label(m)}" for lang, catalog in catalogs.items() for m in catalog
                 if m.id for problem in checker.placeholder_problems(m)]
    assert not offenders, "\n".join(offenders)


def test_the_checker_script_agrees(extracted):
    assert checker.check(ROOT, source=extracted) == []


@pytest.mark.parametrize(("msgid", "msgstr", "ok"), [
    ("%(n)s học viên", "%(n)s learners", True),
    ("%(n)s học viên", "%(count)s learners", False),
    ("%(n)s học viên", "learners", False),
    ("Giai đoạn %(n)s: %(t)s", "%(t)s (stage %(n)s)", True),
    ("Tiến độ (%)", "Progress (%)", True),
    ("{key} must be an integer from {low} to {high}", "{key} phải là số nguyên từ {low} đến {high}", True),
    ("{key} must be a number from {low:g} to {high:g}", "{key} phải từ {low} đến {high:g}", False),
    ("(got {value!r})", "(nhận được {value})", False),
    ("{what} {id}", "{id} {what}", True),
    ("{key} missing", "thiếu {key", False),
])
def test_placeholder_check(msgid, msgstr, ok):
    assert (checker.placeholder_problems(Message(msgid, msgstr)) == []) is ok


def test_content_messages_are_recognised_by_their_locations():
    assert checker.is_content_message([("lms/content/fields.py", 1), ("./lms/content/loader.py", 2)])
    assert not checker.is_content_message([("lms/content/fields.py", 1), ("lms/templates/base.html", 2)])
    assert not checker.is_content_message([])
