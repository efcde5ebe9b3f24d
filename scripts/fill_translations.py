#!/usr/bin/env python3
"""Fill msgstrs of a message catalog from a JSON file, after `make messages` (step 2 of check_translations.py).

    .venv/bin/python scripts/fill_translations.py new.json            # English catalog (the default)
    .venv/bin/python scripts/fill_translations.py --lang vi new.json  # Vietnamese catalog (lms/content/ messages)

The JSON maps each msgid to its translation, or, for a plural message, to a list of the translations
(singular, plural).  A msgid that is not in the catalog is reported and the exit status is 1; the
fuzzy flag of every filled message is removed.  Then run `make translations`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("translations", type=Path)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args(argv)
    path = ROOT / "lms" / "translations" / args.lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    wanted = json.loads(args.translations.read_text(encoding="utf-8"))
    missing = []
    for msgid, translation in wanted.items():
        message = next((m for m in catalog if (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid), None)
        if message is None:
            missing.append(msgid)
            continue
        message.string = tuple(translation) if isinstance(message.id, tuple) else translation
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    for msgid in missing:
        print(f"not in {path.relative_to(ROOT)}: {msgid!r}", file=sys.stderr)
    print(f"{len(wanted) - len(missing)} filled in {path.relative_to(ROOT)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
