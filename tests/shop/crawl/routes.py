"""Every URL pattern the project serves, read from the resolver (never a hand-kept list)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Route:
    regex: str  # the full regex from the root, as the resolver joins it
    name: str  # "namespace:name", or "" for an unnamed pattern
    callback: object

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.regex}"

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(self._format[1])

    @property
    def _format(self) -> tuple[str, list[str]]:
        # normalize() is what reverse() uses; the first form is the one without optional parts.
        return normalize(self.regex)[0]

    def build(self, values: dict[str, str]) -> str:
        """The path with these values, quoted but not checked against the converters: bogus
        values must reach the resolver, which is where a 404 should come from."""
        fmt, _names = self._format
        return "/" + fmt % {k: quote(str(v), safe="") for k, v in values.items()}

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    @property
    def model_admin(self):
        return getattr(self.callback, "model_admin", None)

    def view_model(self):
        """The model a view is about: its ModelAdmin's, its `model`, its form's or its queryset's."""
        if self.model_admin is not None:
            return self.model_admin.model
        view = self.view_class
        if view is None:
            return None
        for attempt in (lambda: view.model, lambda: view.form_class._meta.model, lambda: view.queryset.model):
            try:
                model = attempt()
            except AttributeError:
                continue
            if model is not None:
                return model
        return None


def _walk(patterns, prefix: str, namespace: str):
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern
        regex = regex[1:] if regex.startswith("^") else regex
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + regex, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield Route(regex=prefix + regex, name=name, callback=pattern.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", ""))
