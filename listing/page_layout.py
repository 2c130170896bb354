"""A page's layout drawn once, its own parts drawn per request (issue 21: a search no one made
before at a quarter of the cached rate).

A new search is a page cache miss: the page is rendered. Through the templates that was the
whole layout again (head, stylesheets, SEO links, header, language switch, footer, scripts: about
a third of the page's template time), although nothing of it depends on the words searched. Here
the layout of a view's template is drawn once per language, address (scheme, host and path: the
SEO links and the language switch's `next` hold them) and release, with the view's own blocks
(`slots`: the title, breadcrumbs, filter panel, heading and results) left as markers, and kept in
this process; a request then renders those blocks alone, through the same template's block nodes
and a context made as the template's own render makes it, and puts them in. What is the
visitor's own or the response's in the layout is put in per request too, as the page cache puts
it in a cached page (listing.page_cache, listing.page_tokens): the visitor parts
(`{% visitor_part %}`, drawn as a cache hit draws them, framed for the page cache to cut out),
the CSRF token of the layout's forms, the nonce of its inline scripts and the clock of
`<meta name="created">`.

Only a render for the page cache takes this path (serve() sets `request._ocop_part_token`): the
page it stores is then cut, marked and served exactly as before. Any other render (page cache off,
Redis down, staff) is the template's own. The HTML is the template's, byte for byte
(tests/listing/test_page_layout.py renders both).

What the layout may read is therefore the language, the request's address, the shop's settings,
the URLs and static files, the visitor parts, the CSRF token, the nonce and the clock: what the
page cache's stored copy already shares between visitors, less the query string, which the layout
never shows (the slots do).
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.base import NodeList, TextNode
from django.template.context import make_context
from django.template.defaultfilters import date
from django.template.loader import select_template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode
from django.test.signals import template_rendered
from django.urls import get_script_prefix
from django.utils import timezone, translation

from . import page_tokens

_MARK = secrets.token_hex(16)  # per process: no template text can name a slot
_SLOT = re.compile(f"<!--ocop-slot-{_MARK}:([a-z_]+):([a-z_0-9]*)-->")
_PART = re.compile("<!--ocop-part:([0-9a-f]+):([a-z_]+):([0-9]*)-->.*?<!--/ocop-part:\\1-->", re.S)
_CREATED = re.compile('(<meta name="created" content=")([^"]*)(")')
_NOW_FORMAT = "jS M Y h:i"  # templates/oscar/base.html's {% now %}
_LIMIT = 64

_layouts: dict[tuple, tuple] = {}  # key → (compiled template, pieces)


def _slot(kind: str, arg: str = "") -> str:
    return f"<!--ocop-slot-{_MARK}:{kind}:{arg}-->"


def respond(request, template_names, context: dict, slots: tuple[str, ...], writer=None) -> HttpResponse | None:
    """The page of `template_names` for `context`, its layout from this process's drawing; None
    when this render is not the page cache's (then the view renders the template as ever).
    `writer(request, context)`: the slots' blocks written in Python, as the template's blocks
    render them (listing.search_html), instead of through the template engine."""
    token = getattr(request, "_ocop_part_token", None)
    if not token or not settings.OCOP_PAGE_CACHE:
        return None
    template = select_template(template_names).template
    blocks = _blocks(template, slots)
    if blocks is None:
        return None
    key = (id(template), slots, translation.get_language(), request.scheme, request.get_host(), request.path,
           get_script_prefix())
    entry = _layouts.get(key)
    if entry is None or entry[0] is not template:
        pieces = _draw_layout(request, template, context, slots, token)
        if pieces is None:
            return None
        if len(_layouts) >= _LIMIT:
            _layouts.clear()
        _layouts[key] = entry = (template, pieces)
    if writer is None:
        own = _render_blocks(request, template, context, blocks)
    else:
        if template_rendered.receivers:  # the test client's, which keeps the context
            _rendered(request, template, context)
        own = writer(request, context)
    return HttpResponse(_fill(request, entry[1], own, token))


def _blocks(template, slots) -> dict | None:
    """The block nodes that draw `slots` in this template: its own (the child-most definitions);
    None unless it extends another and defines each slot itself."""
    first = template.nodelist[0] if template.nodelist else None
    if not isinstance(first, ExtendsNode):
        first = next(iter(template.nodelist.get_nodes_by_type(ExtendsNode)), None)
    if first is None or any(name not in first.blocks for name in slots):
        return None
    return {name: first.blocks[name] for name in slots}


def _render_blocks(request, template, data: dict, blocks: dict) -> dict[str, str]:
    """The slots' blocks rendered with the context the template's render would give them (the
    context processors' values, then the view's)."""
    context = make_context(data, request, autoescape=template.engine.autoescape)
    with context.render_context.push_state(template):
        with context.bind_template(template):
            context.template_name = template.name
            template_rendered.send(sender=template, template=template, context=context)  # the test client's
            return {name: block.render(context) for name, block in blocks.items()}


def _rendered(request, template, data: dict) -> None:
    """template_rendered for a page whose blocks a writer drew, with the context a render gives."""
    context = make_context(data, request, autoescape=template.engine.autoescape)
    with context.bind_template(template):
        context.template_name = template.name
        template_rendered.send(sender=template, template=template, context=context)


class _SlotBlock(BlockNode):
    """Stands for a slot's block while the layout is drawn: its marker."""

    def __init__(self, name):
        super().__init__(name, NodeList([TextNode(_slot("block", name))]))


def _draw_layout(request, template, data: dict, slots, token) -> list | None:
    """The template rendered with markers for the slots, the visitor parts, the CSRF token, the
    nonce and the clock, cut at them: [text, (kind, arg), text, ...]."""
    context = make_context(data, request, autoescape=template.engine.autoescape)
    with context.render_context.push_state(template):
        block_context = context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        for name in slots:
            block_context.push(name, _SlotBlock(name))  # the child-most: the template's own come below
        with context.bind_template(template):
            context.template_name = template.name
            html = template._render(context)
    from . import page_parts

    def part(match):
        if match.group(1) != token or match.group(2) not in page_parts.PARTS:
            raise _NotALayout
        return _slot("part", f"{match.group(2)}_{match.group(3)}")

    try:
        html = _PART.sub(part, html)
    except _NotALayout:
        return None
    html = page_tokens._replace(page_tokens._CSRF_INPUT, None, _slot("csrf"), html)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        html = page_tokens._replace(page_tokens._NONCE_ATTRIBUTE, nonce, _slot("nonce"), html)
    html = _CREATED.sub(lambda m: m.group(1) + _slot("now") + m.group(3), html, count=1)
    cut = _SLOT.split(html)
    pieces = []
    for index in range(0, len(cut), 3):
        pieces.append(cut[index])
        if index + 2 < len(cut):
            pieces.append((cut[index + 1], cut[index + 2]))
    return pieces


class _NotALayout(Exception):
    pass


def _fill(request, pieces, own: dict[str, str], token: str) -> str:
    parts = [piece[1].rpartition("_")[::2] for piece in pieces if piece.__class__ is not str and piece[0] == "part"]
    drawn = iter(_parts_drawn(request, parts) if parts else ())
    out = []
    for piece in pieces:
        if piece.__class__ is str:
            out.append(piece)
            continue
        kind, arg = piece
        if kind == "block":
            out.append(own[arg])
        elif kind == "part":
            name, _sep, number = arg.rpartition("_")
            out.append(f"<!--ocop-part:{token}:{name}:{number}-->{next(drawn)}<!--/ocop-part:{token}-->")
        elif kind == "csrf":
            out.append(page_csrf_token(request))
        elif kind == "nonce":
            out.append(page_tokens._nonce(request))
        elif kind == "now":
            out.append(_now())
    return "".join(out)


def _parts_drawn(request, parts: list) -> list[str]:
    """The layout's visitor parts ((name, number) each), as a cache hit draws them for this visitor
    (listing.templatetags.visitor_parts._as_a_hit_draws_it, for all of them at once: one plan,
    serve()'s own when it guessed these parts, and what it read with the page's key when it asked
    for their keys). draw_all() asks each part again whether its drawing may be kept: what the
    view did since the plan (a message queued) is seen."""
    from . import page_cache, page_parts

    plan = getattr(request, "_ocop_plan", None)  # the parts serve() guessed and read, when they are these
    if plan is None or plan.parts != tuple(parts):
        plan = page_parts.plan(request, tuple(parts), page_cache._BOOT)
    asked, found = getattr(request, "_ocop_found", (frozenset(), None))
    return page_parts.draw_all(request, plan, page_cache.catalogue_state(request),
                               found=found if asked.issuperset(plan.keys) else None)


def page_csrf_token(request) -> str:
    """The CSRF token of the forms of a page drawn for the page cache (the layout's and the cards'):
    one per page, as a template's render gives all its {% csrf_token %} one (the csrf context
    processor's lazy value); get_token() masks anew at each call (~40 µs)."""
    token = getattr(request, "_ocop_page_csrf", None)
    if token is None:
        token = request._ocop_page_csrf = get_token(request)
    return token


_clock: dict[tuple, str] = {}


def _now() -> str:
    """{% now "jS M Y h:i" %} (templates/oscar/base.html): drawn once a minute per language."""
    tz = timezone.get_current_timezone() if settings.USE_TZ else None
    now = datetime.now(tz=tz)
    key = (translation.get_language(), tz, now.year, now.month, now.day, now.hour, now.minute)
    text = _clock.get(key)
    if text is None:
        if len(_clock) >= _LIMIT:
            _clock.clear()
        text = _clock[key] = date(now, _NOW_FORMAT)
    return text
