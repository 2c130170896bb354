"""`{% ocop_prefetch items "lines" %}`: one query for a relation of every item a page lists, where
a template would otherwise ask each item for it (Oscar's order history reads `order.num_items`,
one lines query per order). The items (a page's queryset or list) keep what was fetched, so the
loop that follows reads it from memory. Renders nothing."""
from django import template
from django.db.models import QuerySet, prefetch_related_objects

register = template.Library()


@register.simple_tag
def ocop_prefetch(items, *lookups):
    if items is None or not lookups:
        return ""
    objects = list(items)  # a QuerySet keeps these very instances as its result cache
    if isinstance(items, QuerySet) or isinstance(items, list | tuple):
        prefetch_related_objects(objects, *lookups)
    return ""
