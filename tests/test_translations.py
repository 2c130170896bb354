"""Every user-facing string of ours has a Vietnamese translation (msgids are English).

Strings are found the way makemessages finds them: templates through Django's templatize,
Python through its syntax tree. A string Oscar already translates counts as translated.
"""
import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules", "staticfiles", "media", "bench", "var"}
GETTEXT_FUNCS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
# Identical in both languages on purpose (names, acronyms, units).
SAME_IN_VIETNAMESE = {"OCOP", "VietQR", "GI", "Email", "Stripe", "COD", "SKU", "CSV", "QR", "OK", "Logo", "Website", "E-mail", "Zalo", "SMS"}

CALL = re.compile(r"""\b(n?p?gettext)\(u?'((?:[^'\\]|\\.)*)'(?:\s*,\s*u?'((?:[^'\\]|\\.)*)')?""")


def our_files(pattern):
    for path in ROOT.rglob(pattern):
        rel = path.relative_to(ROOT)
        if not SKIP_DIRS.intersection(rel.parts):
            yield path


def template_msgids():
    for path in our_files("*.html"):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for func, first, second in CALL.findall(code):
            text = ast.literal_eval(f"'{second if func.startswith('p') and second else first}'")
            yield path, text


def python_msgids():
    for path in our_files("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in GETTEXT_FUNCS:
                index = 1 if getattr(node.func, "id", "").startswith("p") else 0
                if len(node.args) > index and isinstance(node.args[index], ast.Constant) and isinstance(node.args[index].value, str):
                    yield path, node.args[index].value


def untranslated(pairs):
    missing = []
    with translation.override("vi"):
        for path, msgid in pairs:
            if not re.search(r"[A-Za-z]{2,}", msgid) or msgid.strip() in SAME_IN_VIETNAMESE:
                continue
            if translation.gettext(msgid) == msgid:
                missing.append(f"{path.relative_to(ROOT)}: {msgid!r}")
    return sorted(set(missing))


@pytest.mark.parametrize("source", ["templates", "python"])
def test_every_string_has_a_vietnamese_translation(source):
    pairs = list(template_msgids() if source == "templates" else python_msgids())
    assert pairs, "found no translatable strings at all: the extractor is broken"
    missing = untranslated(pairs)
    assert not missing, f"{len(missing)} strings lack a vi translation in locale/:\n" + "\n".join(missing)
