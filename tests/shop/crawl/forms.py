"""The <form>s of a page, read with the standard library's HTML parser."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)

    def names(self):
        return [f.name for f in self.fields]


class _Parser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.links = page_url, [], set()
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            self.links.add(a["href"])
        elif tag == "form":
            self._form = Form(action=urljoin(self.page_url, a.get("action") or self.page_url),
                              method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind in ("checkbox", "radio") and "checked" not in a and kind == "radio":
                existing = next((f for f in self._form.fields if f.name == a["name"]), None)
                if existing:
                    existing.options.append(a.get("value", "on"))
                    return
            self._form.fields.append(Field(a["name"], kind, a.get("value", ""), [a.get("value", "on")]))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a or not self._select.value:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse(html: str, page_url: str):
    """(forms, query parameter names the page links to)."""
    parser = _Parser(page_url)
    parser.feed(html)
    names = {name for href in parser.links for name, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True)}
    names |= {n for form in parser.forms if form.method == "get" for n in form.names()}
    return parser.forms, names
