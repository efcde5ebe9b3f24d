#!/usr/bin/env python3
"""Check the message catalogs: every user-visible string is translated and keeps its placeholders.

How the catalogs work
    The interface is written in Vietnamese: Vietnamese msgids in templates and Python (`_()`, `_l()`,
    `gettext`) are translated to English in lms/translations/en/LC_MESSAGES/messages.po.
    The content validator's messages in lms/content/ are English msgids (marked with `N_()`, formatted
    with str.format `{placeholders}`); they are translated to Vietnamese in
    lms/translations/vi/LC_MESSAGES/messages.po.  In the en catalog they keep an empty msgstr, and the
    Vietnamese msgids keep an empty msgstr in the vi catalog (gettext then returns the msgid).

How to refresh after adding or changing strings (from the project root)
    1. make messages        # extract into lms/translations/messages.pot and update both catalogs
    2. translate            # fill every new empty msgstr: English in en/, Vietnamese in vi/ for the
                            # lms/content/ messages; check and remove every `#, fuzzy` flag;
                            # keep %(name)s and {name} placeholders exactly as in the msgid
    3. make translations    # compile the .mo files the application loads
    4. .venv/bin/python scripts/check_translations.py   # must print "OK" (tests/unit/test_translations.py
                                                        # runs the same checks)

What counts as an offender (exit status 1, one line per offender)
    * a msgid found in the source (re-extracted on the fly, like `make messages`) that is missing from
      a catalog that must translate it (run `make messages`);
    * a Vietnamese msgid (any msgid whose locations are not all under lms/content/) with an empty or
      fuzzy English translation;
    * an lms/content/ msgid with an empty or fuzzy Vietnamese translation;
    * a translation whose %(name)s or {name} placeholders differ from its msgid's.
    Use --no-extract to check only the catalogs, without reading the source.
"""
from __future__ import annotations

import argparse
import re
import shlex
import string
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path("lms/translations")
CONTENT_PREFIX = "lms/content/"
DEFAULT_EXTRA_KEYWORDS = ("_l", "N_")  # as in the Makefile's `make messages`

# %(name)s with optional flags, width, precision and any conversion type.
PERCENT_PLACEHOLDER = re.compile(r"%\((?P<name>[^)]*)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")


def catalog_path(root: Path, lang: str) -> Path:
    return root / TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _norm(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def is_content_message(locations) -> bool:
    """An lms/content/ validator message (English msgid): all its locations are under lms/content/."""
    paths = [_norm(p) for p, _line in locations]
    return bool(paths) and all(p.startswith(CONTENT_PREFIX) for p in paths)


def where(locations) -> str:
    return ", ".join(f"{_norm(p)}:{line}" for p, line in locations[:3]) + (" ..." if len(locations) > 3 else "")


def _forms(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [v or "" for v in value]
    return [value or ""]


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, (list, tuple)) else message_id


def percent_placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PERCENT_PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def brace_placeholders(text: str) -> Counter | None:
    """The str.format fields of text as written ({key}, {value!r}, {low:g}); None if it is not a format string."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    fields = Counter()
    for _literal, name, spec, conversion in parsed:
        if name is not None:
            fields["{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"] += 1
    return fields


def placeholder_problems(message) -> list[str]:
    """Differences between the placeholders of a message's msgid and of its (non-empty) translations.

    Placeholders are compared as sets of tokens as written (%(n)s, {key}, {value!r}, {low:g}): order and
    repetition may change in a translation, names, conversions and format specs may not.  For a plural
    message a translated form may only use placeholders that appear in the msgid's forms.
    """
    ids = _forms(message.id)
    plural = len(ids) > 1
    problems = []

    def tokens(text: str) -> tuple[set[str], set[str] | None]:
        braces = brace_placeholders(text)
        return set(percent_placeholders(text)), None if braces is None else set(braces)

    want_p, want_b = set(), set()
    raw_braces = False
    for original in ids:
        p, b = tokens(original)
        want_p |= p
        if b is None:  # the msgid is not a str.format string: compare the raw {...} spans instead
            raw_braces = True
            b = set(re.findall(r"\{[^{}]*\}", original))
        want_b |= b
    for translated in _forms(message.string):
        if not translated:
            continue
        got_p, got_b = tokens(translated)
        if raw_braces:
            got_b = set(re.findall(r"\{[^{}]*\}", translated))
        bad_p = not got_p <= want_p if plural else got_p != want_p
        if bad_p:
            problems.append(f"%-placeholders differ: msgid has {sorted(want_p)}, translation has {sorted(got_p)}")
        if got_b is None:
            problems.append("the translation's braces are malformed (use {{ and }} for literal braces)")
        elif (not got_b <= want_b) if plural else got_b != want_b:
            problems.append(f"{{}}-placeholders differ: msgid has {sorted(want_b)}, translation has {sorted(got_b)}")
    return problems


def translation_problem(message) -> str | None:
    """Why a message that must be translated is not (empty or fuzzy), or None."""
    if message is None:
        return "missing from the catalog (run `make messages`)"
    if message.fuzzy:
        return "fuzzy translation (check it, then remove the `#, fuzzy` flag)"
    if not all(_forms(message.string)):
        return "empty translation"
    return None


def makefile_keywords(root: Path) -> tuple[str, ...]:
    """The -k keywords of the Makefile's `pybabel extract` line, so this check extracts exactly like it."""
    makefile = root / "Makefile"
    if makefile.exists():
        for line in makefile.read_text(encoding="utf-8").splitlines():
            if "pybabel" in line and " extract " in f"{line} ":
                words = shlex.split(line.replace("$(BIN)/", ""))
                found = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-k", "--keyword", "--keywords")]
                found += [w.split("=", 1)[1] for w in words if w.startswith(("--keyword=", "--keywords="))]
                if found:
                    return tuple(found)
    return DEFAULT_EXTRA_KEYWORDS


def extract_messages(root: Path = ROOT) -> Catalog:
    """Extract the messages from the source, as `make messages` does (babel.cfg and the Makefile's keywords)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_keywords, parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(root / "babel.cfg"))
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(list(makefile_keywords(root))))
    catalog = Catalog(fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=keywords):
        catalog.add(message, None, [(_norm(filename), lineno)], auto_comments=comments, context=context)
    return catalog


def check(root: Path = ROOT, source: Catalog | None = None, extract: bool = True) -> list[str]:
    """All offenders, one readable line each; an empty list means the catalogs are complete."""
    en = read_catalog(catalog_path(root, "en"))
    vi_path = catalog_path(root, "vi")
    vi = read_catalog(vi_path) if vi_path.exists() else Catalog(locale="vi")
    problems: list[str] = []
    if not vi_path.exists():
        problems.append(f"{vi_path.relative_to(root)} is missing: create it with "
                        "`.venv/bin/pybabel init -i lms/translations/messages.pot -d lms/translations -l vi`")

    if source is None and extract:
        source = extract_messages(root)
    if source is not None:  # every string in the source is in the catalogs that must translate it
        for message in source:
            if not message.id:
                continue
            content = is_content_message(message.locations)
            lang, catalog = ("vi", vi) if content else ("en", en)
            reason = translation_problem(catalog.get(message.id, message.context))
            if reason:
                problems.append(f"{lang}: {reason}: {_key(message.id)!r} ({where(message.locations)})")
            if content and en.get(message.id, message.context) is None:
                problems.append(f"en: missing from the catalog (run `make messages`): {_key(message.id)!r} "
                                f"({where(message.locations)})")

    for lang, catalog in (("en", en), ("vi", vi)):
        if catalog.fuzzy:  # `pybabel compile` skips a catalog whose header is fuzzy
            problems.append(f"{lang}: the catalog header is marked fuzzy; remove `#, fuzzy` above the first msgid")
        for message in catalog:
            if not message.id:
                continue
            content = is_content_message(message.locations)
            must_translate = content == (lang == "vi")
            label = f"{_key(message.id)!r} ({where(message.locations)})"
            checked_above = source is not None and must_translate and message.id in source
            if must_translate and source is None:
                reason = translation_problem(message)
                if reason:
                    problems.append(f"{lang}: {reason}: {label}")
            elif message.fuzzy and not checked_above:
                problems.append(f"{lang}: fuzzy entry (check it, then remove the `#, fuzzy` flag): {label}")
            for problem in placeholder_problems(message):
                problems.append(f"{lang}: {problem}: {label} -> {_forms(message.string)[0]!r}")
    return list(dict.fromkeys(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: %(default)s)")
    parser.add_argument("--no-extract", action="store_true",
                        help="check only the catalogs, without re-extracting the messages from the source")
    args = parser.parse_args(argv)
    problems = check(args.root.resolve(), extract=not args.no_extract)
    if problems:
        print(f"{len(problems)} translation problem(s):")
        for problem in problems:
            print(f"  {problem}")
        print("Refresh: make messages, translate the entries above, make translations (see this script's header).")
        return 1
    print("OK: every message is translated and keeps its placeholders.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
