"""`{% thumbnails_ahead lines "100x100" upscale=False %}…{% endthumbnails_ahead %}`: the product
photos' thumbnails of these lines (basket or order lines) read in one cache round trip, for the
`{% oscar_thumbnail %}` tags inside that ask for the same size and options (shop/thumbnails.py,
read_ahead). What the block renders is unchanged; only the number of cache reads drops."""
from django import template

from shop.thumbnails import primary_image, read_ahead

register = template.Library()


def _photo(line, missing: dict):
    product = getattr(line, "product", None)
    if product is None:
        return None
    image = primary_image(product, missing)  # the lines' product images are prefetched (Oscar's all_lines)
    return image.get("original") if isinstance(image, dict) else image.original


class ThumbnailsAheadNode(template.Node):
    def __init__(self, lines, size, options, nodelist):
        self.lines, self.size, self.options, self.nodelist = lines, size, options, nodelist

    def render(self, context):
        lines = self.lines.resolve(context) or ()
        options = {key: value.resolve(context) for key, value in self.options.items()}
        missing: dict = {}  # the placeholder, asked once a page (shop.thumbnails.primary_image)
        with read_ahead([_photo(line, missing) for line in lines], self.size.resolve(context), **options):
            return self.nodelist.render(context)


@register.tag
def thumbnails_ahead(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the lines, the size and options")
    options = {}
    for bit in bits[3:]:
        key, _, value = bit.partition("=")
        options[key] = parser.compile_filter(value)
    nodelist = parser.parse(("endthumbnails_ahead",))
    parser.delete_first_token()
    return ThumbnailsAheadNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), options, nodelist)
