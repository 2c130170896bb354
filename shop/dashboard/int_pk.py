from django.urls import URLPattern, path, register_converter


class PkOrPlaceholder:
    """A number, or "__fk__": the placeholder Oscar's related-object widget reverses these URLs with
    (its script swaps in the chosen pk). The placeholder resolves to pk 0, which no row has: a 404."""

    regex = "[0-9]+|__fk__"

    def to_python(self, value):
        return int(value) if value.isdigit() else 0

    def to_url(self, value):
        return str(value)


register_converter(PkOrPlaceholder, "pk")


def int_pk_urls(urls):
    """Oscar routes some dashboard pages as <str:pk>; a pk that is no number (/update/abc/) then
    raised ValueError in the lookup, a 500. Their pks are integers: a 404 for anything else."""
    return [path(str(p.pattern).replace("<str:pk>", "<pk:pk>"), p.callback, p.default_args, p.name)
            if isinstance(p, URLPattern) and "<str:pk>" in str(p.pattern) else p
            for p in urls]
