from django.urls import URLPattern, path


def int_pk_urls(urls):
    """Oscar routes some dashboard pages as <str:pk>; a pk that is no number (/update/abc/) then
    raised ValueError in the lookup, a 500. Their pks are integers: route <int:pk>, a 404 otherwise."""
    return [path(str(p.pattern).replace("<str:pk>", "<int:pk>"), p.callback, p.default_args, p.name)
            if isinstance(p, URLPattern) and "<str:pk>" in str(p.pattern) else p
            for p in urls]
