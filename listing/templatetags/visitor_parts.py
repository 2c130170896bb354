"""`{% visitor_part "name" [number] %}…{% endvisitor_part %}`: a part of a cached page that is
this visitor's own (header account links and basket, messages, recently viewed products, wish
lists, a sold-out product's stock alert form).

Outside the page cache it renders its content as it is. Inside it (listing.page_cache.serve sets
a random token on the request before rendering), the content is framed by comments holding that
token, so the cache can cut the part out of the stored copy and render it again for every visitor
it serves the page to (listing.page_parts.PARTS names how, and when a drawing may be kept). The token is new for each render,
so no page text can frame a part of its own.
"""
from django import template

register = template.Library()


class VisitorPartNode(template.Node):
    def __init__(self, name, arg, nodelist):
        self.name, self.arg, self.nodelist = name, arg, nodelist

    def render(self, context):
        content = self.nodelist.render(context)
        token = getattr(context.get("request"), "_ocop_part_token", None)
        if not token:
            return content
        arg = self.arg.resolve(context) if self.arg is not None else ""
        arg = str(int(arg)) if arg not in ("", None) else ""
        return f"<!--ocop-part:{token}:{self.name}:{arg}-->{content}<!--/ocop-part:{token}-->"


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
