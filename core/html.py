"""Rich text that staff and producers type, made safe to print as HTML: the one place.

Product and category descriptions, offer and range descriptions and flat pages are HTML (the
dashboard edits them with TinyMCE) and are printed as markup. Issue 20: a producer's description
printed with `|safe` carried a `<script>` and a `<meta http-equiv=refresh>` to every visitor.
`clean_html()` keeps an allow-list of tags and attributes (nh3, the Rust `ammonia` sanitiser):
no script, style, meta, iframe, form, object, svg or image; no event handler, no `style`, no
`class`/`id`; links only to http(s), mailto and tel (a relative URL is no scheme at all: dropped). It runs when such text is
saved (shop.rich_text) AND when it is printed (`{{ text|clean_html }}`, a builtin filter of every
template: settings TEMPLATES builtins), so text that entered another way (a bulk import, an old
row) is safe too. Templates print typed text only through this filter, never `|safe`
(tests/core/test_html.py checks every template).
"""
from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

TAGS = frozenset({
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark", "span",
    "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite", "abbr", "code", "pre",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "caption", "tr", "th", "td",
    "a",
})
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed with everything inside them (other disallowed tags are dropped, their text kept).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "iframe", "object",
                                  "embed", "svg", "math", "textarea", "select", "title", "xmp",
                                  "noembed", "noframes", "plaintext"})

_cleaner = nh3.Cleaner(tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                       url_schemes=set(URL_SCHEMES), url_relative="deny", clean_content_tags=set(DROPPED_WITH_CONTENT),
                       link_rel="noopener noreferrer nofollow", strip_comments=True)


def clean_html(text) -> str:
    """The allowed part of `text` as HTML (idempotent: cleaning clean text changes nothing)."""
    if text is None:
        return ""
    # A NUL is never text (and PostgreSQL refuses to store one): dropped before anything else.
    return _cleaner.clean(str(text).replace("\x00", ""))


register = template.Library()


@register.filter(name="clean_html", is_safe=True)
def clean_html_filter(text) -> SafeString:
    """`{{ product.description|clean_html }}`: typed rich text, printed as sanitised markup."""
    return mark_safe(clean_html(text))  # noqa: S308  (sanitised just above: the point of the filter)
