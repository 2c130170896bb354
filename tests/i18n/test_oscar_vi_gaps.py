"""Our locale_oscar/ catalogue fills every string Oscar's Vietnamese catalogue leaves empty, and
re-translates the ones it gets wrong.

Oscar ships oscar/locale/vi/LC_MESSAGES/django.po with a few hundred empty msgstr entries, so
Vietnamese pages showed English in places, and many of its translations read as a machine wrote
them ("Tiểu bang" for a line's state, "Thoát" for Cancel; issue 19). locale_oscar/vi (in
LOCALE_PATHS, so it wins) holds those gaps, those re-translations and the few msgids of Oscar's
templates its catalogue lacks; these tests keep it complete, well-formed and in use.
"""

import re
from collections import Counter
from pathlib import Path

import oscar
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

OSCAR_PO = Path(oscar.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
OUR_DIR = Path(settings.BASE_DIR) / "locale_oscar" / "vi" / "LC_MESSAGES"
OUR_PO = OUR_DIR / "django.po"
OUR_MO = OUR_DIR / "django.mo"

# %(name)s / %s / %i / %d … (not %%), and str.format fields {0} / {name}.
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou]")
BRACES = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"<[^<>]+>")


def _read_po(path):
    with open(path, "rb") as f:
        return read_po(f)


def _forms(string):
    """msgstr as a tuple of forms (one for a singular entry)."""
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _key(message):
    msgid = tuple(message.id) if isinstance(message.id, (tuple, list)) else message.id
    context = message.context
    if isinstance(context, bytes):  # babel's read_mo leaves msgctxt undecoded
        context = context.decode("utf-8")
    return (context, msgid)


def _oscar_gaps():
    """Oscar's vi entries with an empty msgstr (any plural form empty)."""
    return {_key(m): m for m in _read_po(OSCAR_PO) if m.id and not all(_forms(m.string))}


def _ours():
    return {_key(m): m for m in _read_po(OUR_PO) if m.id}


def _placeholders(text):
    positional = [p for p in PERCENT.findall(text) if not p.startswith("%(")]
    named = Counter(p for p in PERCENT.findall(text) if p.startswith("%("))
    return positional, named, Counter(BRACES.findall(text))


def _label(key):
    context, msgid = key
    msgid = msgid[0] if isinstance(msgid, tuple) else msgid
    return f"[{context}] {msgid.strip()!r}" if context else repr(msgid.strip())


def test_oscar_still_has_gaps():
    # If Oscar's catalogue ever comes complete, this whole fill-in catalogue can go.
    assert len(_oscar_gaps()) > 200


def test_our_catalogue_is_vietnamese_with_one_plural_form():
    catalog = _read_po(OUR_PO)
    assert str(catalog.locale) == "vi"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert not catalog.fuzzy


def test_every_oscar_gap_is_filled():
    ours = _ours()
    missing = [_label(k) for k in _oscar_gaps() if k not in ours]
    assert not missing, f"{len(missing)} Oscar vi gaps missing from locale_oscar: {missing[:20]}"
    empty = [_label(k) for k in _oscar_gaps() if not all(_forms(ours[k].string))]
    assert not empty, f"untranslated in locale_oscar: {empty[:20]}"
    fuzzy = [_label(k) for k in _oscar_gaps() if ours[k].fuzzy]
    assert not fuzzy, f"fuzzy (msgfmt would drop them): {fuzzy[:20]}"


def test_plural_entries_have_every_form():
    gaps = _oscar_gaps()
    plurals = [k for k, m in gaps.items() if m.pluralizable]
    assert plurals, "Oscar's gaps include plural entries"
    ours = _ours()
    for key in plurals:
        assert ours[key].pluralizable, _label(key)
        assert len(_forms(ours[key].string)) == 1 and all(_forms(ours[key].string)), _label(key)


# Oscar translates them right, but Django's own catalogue of an app listed before Oscar's (the
# admin's "Thoát" for "Log out") is found first.
SHADOWED_BY_DJANGO = {(None, "Log out")}


def _oscar_entries():
    return {_key(m): m for m in _read_po(OSCAR_PO) if m.id}


def _oscar_template_msgids():
    from tests.i18n.test_vietnamese_pages import _oscar_template_msgids

    return set(_oscar_template_msgids())


def test_every_entry_fills_a_gap_or_changes_oscars_translation():
    """Anything else here would silently replace a translation Oscar (or Django) already has, or
    carry a msgid Oscar no longer has."""
    oscar_entries, gaps, template_msgids = _oscar_entries(), _oscar_gaps(), _oscar_template_msgids()
    wrong = []
    for key, message in _ours().items():
        if key in gaps or key in SHADOWED_BY_DJANGO:
            continue
        if key in oscar_entries:
            if _forms(oscar_entries[key].string) == _forms(message.string):
                wrong.append(f"same as Oscar's: {_label(key)}")
        elif key not in template_msgids:
            wrong.append(f"neither in Oscar's catalogue nor in its templates: {_label(key)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("I am a new customer and want to create an account before checking out",
         "Tôi là khách hàng mới và muốn tạo tài khoản trước khi thanh toán"),
        ("Get a password reminder", "Quên mật khẩu?"),
        ("State", "Trạng thái"),
        ("Line", "Dòng"),
        ("Fulfilment", "Xử lý đơn hàng"),
        ("Cancel", "Hủy"),
        ("Log out", "Đăng xuất"),
        ("Submit", "Gửi"),
        ("You haven't placed any orders.", "Bạn chưa có đơn hàng nào."),
        ("The team", "Đội ngũ cửa hàng"),
    ],
)
def test_re_translations_are_served(msgid, vietnamese):
    with translation.override("vi"):
        assert gettext(msgid) == vietnamese
    with translation.override("en"):
        assert gettext(msgid) == msgid


def test_placeholders_and_markup_match_the_msgid():
    problems = []
    for key, message in _ours().items():
        sources = message.id if message.pluralizable else (message.id,)
        for form in _forms(message.string):
            if not any(_placeholders(src) == _placeholders(form) for src in sources):
                problems.append(f"placeholders differ: {_label(key)} -> {form!r}")
            if not any(Counter(TAG.findall(src)) == Counter(TAG.findall(form)) for src in sources):
                problems.append(f"HTML differs: {_label(key)} -> {form!r}")
            # gettext requires a msgstr to start/end with a newline exactly when the msgid does.
            src = sources[0]
            if src.startswith("\n") != form.startswith("\n") or src.endswith("\n") != form.endswith("\n"):
                problems.append(f"leading/trailing newline differs: {_label(key)}")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po():
    """django.mo is what Django loads: it must be compiled from the current django.po."""
    with open(OUR_MO, "rb") as f:
        compiled = {_key(m): m.string for m in read_mo(f) if m.id}
    expected = {k: m.string for k, m in _ours().items()}
    assert {k: _forms(v) for k, v in compiled.items()} == {k: _forms(v) for k, v in expected.items()}, (
        "run: msgfmt --check -o locale_oscar/vi/LC_MESSAGES/django.mo locale_oscar/vi/LC_MESSAGES/django.po"
    )


@pytest.mark.parametrize(
    ("context", "msgid", "vietnamese"),
    [
        (None, "Previous", "Trước"),
        (None, "Next", "Tiếp"),
        ("Buy again", "Re-order", "Mua lại"),
        ("Buy again", "Re-order all items", "Mua lại tất cả sản phẩm"),
        (None, "Edit this category", "Sửa danh mục này"),
        (None, "Variants:", "Phân loại:"),
        (None, "This wish list is empty.", "Danh sách yêu thích này đang trống."),
        (None, "This voucher is not available for this basket", "Mã giảm giá này không áp dụng được cho giỏ hàng này"),
    ],
)
def test_django_serves_our_vietnamese_for_storefront_strings(context, msgid, vietnamese):
    with translation.override("vi"):
        got = pgettext(context, msgid) if context else gettext(msgid)
    assert got == vietnamese
    with translation.override("en"):
        assert (pgettext(context, msgid) if context else gettext(msgid)) == msgid


def test_django_serves_every_filled_gap():
    """Nothing earlier in Django's lookup order shadows our fill-ins."""
    wrong = []
    with translation.override("vi"):
        for (context, msgid), message in _ours().items():
            if message.pluralizable:
                singular, plural = msgid
                got = translation.npgettext(context, singular, plural, 2) if context else ngettext(singular, plural, 2)
            else:
                got = pgettext(context, msgid) if context else gettext(msgid)
            if got != _forms(message.string)[0]:
                wrong.append(f"{_label((context, msgid))}: {got!r}")
    assert not wrong, "\n".join(wrong)


def test_plural_search_result_line_in_vietnamese():
    msgid = "\n                    Found <strong>%(num_results)s</strong> result.\n                "
    msgid_plural = "\n                    Found <strong>%(num_results)s</strong> results.\n                "
    with translation.override("vi"):
        for n in (1, 7):
            text = ngettext(msgid, msgid_plural, n) % {"num_results": n}
            assert text.strip() == f"Tìm thấy <strong>{n}</strong> kết quả."
