"""`{% site_url path as url %}`: an absolute link to the shop in a message template, by the one
rule of core.site_links (the root the message's cause passed as `site_root`, else SITE_DOMAIN or
the Sites framework's domain)."""
from django import template

from core.site_links import absolute

register = template.Library()


@register.simple_tag(takes_context=True)
def site_url(context, path):
    return absolute(path or "", context.get("site_root"))
