"""The XSS corpus (tests/data/xss_corpus.txt) and a check that a piece of HTML carries no live markup."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

CORPUS_FILE = Path(__file__).resolve().parent / "data" / "xss_corpus.txt"
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\0": "\0", "\\\\": "\\"}


def corpus() -> list[str]:
    payloads = []
    for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("esc:"):
            line = re.sub(r"\\[tnr0\\]", lambda m: _ESCAPES[m.group(0)], line[4:])
        payloads.append(line)
    return payloads


# What typed rich text may be (core.html's allow-list, restated here so the test checks the module).
SAFE_TAGS = {"p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark", "span",
             "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite", "abbr", "code", "pre", "ul", "ol", "li",
             "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption", "tr", "th", "td", "a"}
SAFE_ATTRIBUTES = {"href", "title", "hreflang", "rel", "colspan", "rowspan", "scope", "start"}
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:)", re.I)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"<{tag} {name}=…>")
            elif name == "href" and not SAFE_URL.match((value or "").strip()):
                self.problems.append(f"<{tag} href={value!r}>")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("<!-- comment -->")

    def handle_pi(self, data):
        self.problems.append("<?…>")

    def unknown_decl(self, data):
        self.problems.append("<![…]>")


def live_markup(html: str) -> list[str]:
    """Everything in `html` that is not inert rich text: tags and attributes off the allow-list,
    links with a scheme other than http(s)/mailto/tel."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems
