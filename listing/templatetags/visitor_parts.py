"""`{% visitor_part "name" [number] %}…{% endvisitor_part %}`: a part of a cached page that is
this visitor's own (header account links and basket, messages, recently viewed products, wish
lists, a sold-out product's stock alert form).

Outside the page cache it renders its content as it is, except the header's account links and
basket ("tools"), which come from the visitor's kept drawing there too when the cache is shared. Inside it (listing.page_cache.serve sets
a random token on the request before rendering), the content is framed by comments holding that
token, so the cache can cut the part out of the stored copy and render it again for every visitor
it serves the page to (listing.page_parts.PARTS names how, and when a drawing may be kept). The token is new for each render,
so no page text can frame a part of its own.
"""
from django import template
from django.urls import get_script_prefix
from django.utils import translation

register = template.Library()


class VisitorPartNode(template.Node):
    def __init__(self, name, arg, nodelist):
        self.name, self.arg, self.nodelist = name, arg, nodelist

    def render(self, context):
        request = context.get("request")
        token = getattr(request, "_ocop_part_token", None)
        if not token:
            content = _kept_outside_the_cache(request, self.name)
            return self.nodelist.render(context) if content is None else content
        arg = self.arg.resolve(context) if self.arg is not None else ""
        arg = str(int(arg)) if arg not in ("", None) else ""
        content = _as_a_hit_draws_it(request, self.name, arg)
        if content is None:
            content = self.nodelist.render(context)
        return f"<!--ocop-part:{token}:{self.name}:{arg}-->{content}<!--/ocop-part:{token}-->"


def _as_a_hit_draws_it(request, name, arg):
    """A part of a page the cache is rendering, as the cache's next hit would give it to this
    visitor: their kept drawing while it holds (listing.page_parts), else drawn and kept. A page
    no one asked for before (a new search) then costs a basket holder what it costs everybody,
    not their basket, lines and offers read again and the header drawn through its templates
    (about a quarter of a new search's time). The page cuts the part out before storing it, as
    ever; page-bound parts need the page's context and are drawn here."""
    from listing import page_cache, page_parts

    if name not in page_parts.PARTS:
        return None
    plan = page_parts.plan(request, ((name, arg),), page_cache._BOOT)
    # What the page cache read with the page's key, when it asked for these keys too (a new search
    # at a path served before): no second round trip.
    asked, found = getattr(request, "_ocop_found", (frozenset(), None))
    return page_parts.draw_all(request, plan, page_cache.catalogue_state(request),
                               found=found if asked.issuperset(plan.keys) else None)[0]


# Parts whose kept drawing also serves the pages the page cache never stores (basket, checkout,
# account, flat pages): drawing the header's basket reads the basket, its lines, vouchers and
# offers (9 queries on a signed-in customer's order page) where the kept drawing is one cache read.
KEPT_OUTSIDE_THE_CACHE = frozenset({"tools"})


def _kept_outside_the_cache(request, name):
    """The visitor's kept drawing of a header part on a page the cache does not store, or None
    (then the template draws it): only with the page cache on and a cache every process shares
    (without Redis, reading the catalogue state is a scan of the catalogue)."""
    from django.conf import settings

    from listing import page_parts

    if name not in KEPT_OUTSIDE_THE_CACHE or request is None or not getattr(settings, "OCOP_PAGE_CACHE", False):
        return None
    if not page_parts.cache_is_shared():
        return None
    return _as_a_hit_draws_it(request, name, "")


@register.tag
def visitor_part(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% visitor_part "name" [number] %}…{% endvisitor_part %}')
    name = bits[1][1:-1]
    if not name.replace("_", "").isalnum():
        raise template.TemplateSyntaxError(f"visitor_part: bad part name {name!r}")
    arg = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse(("endvisitor_part",))
    parser.delete_first_token()
    return VisitorPartNode(name, arg, nodelist)


class FrameFixedNode(template.Node):
    """`{% frame_fixed %}…{% endframe_fixed %}`: a part of the page frame that is the same for every
    visitor and page in a language (the brand, the search box, the main navigation, the footer):
    rendered once per language in this process, then given as it was (issue 21: the frame of every
    uncached page rendered them again, a few hundred template calls a request). What the part may
    read is therefore only the language, the URLs (`{% url %}`, `{% static %}`) and the shop's
    settings (`homepage_url`): never the request, the visitor or the page's context, and no CSRF
    token. The drawings are held by the compiled template itself: a template loaded again (DEBUG's
    reloading) starts empty."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.drawn = {}

    def render(self, context):
        key = (translation.get_language(), get_script_prefix(), str(context.get("homepage_url", "")))
        html = self.drawn.get(key)
        if html is None:
            html = self.drawn[key] = self.nodelist.render(context)
        return html


@register.tag
def frame_fixed(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("usage: {% frame_fixed %}…{% endframe_fixed %}")
    nodelist = parser.parse(("endframe_fixed",))
    parser.delete_first_token()
    return FrameFixedNode(nodelist)
