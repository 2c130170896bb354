"""The bad input: nasty strings, malformed query strings and wrong-typed filter values."""
from __future__ import annotations

from urllib.parse import quote

HUGE = "a" * 10_000
NASTY = (
    "",
    " ",
    HUGE,
    "Cà phê Arabica Sơn La – Mộc Châu",  # Vietnamese
    "🍵🥭🐃" * 20,  # emoji
    "\u202eتسوق\u202c עברית",  # right-to-left with a direction override
    "nul\x00byte",  # psycopg refuses NUL in text
    "' OR 1=1--",
    "\"; DROP TABLE order_order; --",
    "<script>alert(1)</script>",
    "{{7*7}}{% debug %}",
    "../../etc/passwd",
    "%00%ff%",
    "'%_\\",
    "-1",
    "0",
    "-1e309",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "1.5",
    "abc",
    "[]",
    "{\"a\": 1}",
)

# Query parameters every page gets, on top of those its own HTML links to and its GET forms ask for:
# the catalogue filters (listing/filters.py), paging and ordering (Oscar, the admin), search,
# language, redirects, the POS and office reports, the order tracking form.
KNOWN_PARAMS = ("q", "page", "stars", "gi", "group", "producer", "commune", "type", "price_min", "price_max",
                "in_stock", "sort", "sort_by", "lang", "next", "format", "province", "amount", "o", "p", "e",
                "all", "_changelist_filters", "status", "number", "contact", "date_from", "date_to", "showroom",
                "category", "order_number", "name", "email", "phone", "pk", "id", "code")


ROTATIONS = 6  # rotations of NASTY over the names: in full, each name gets 6 different values per page


def query_variants(names, *, seed: int = 0, full: bool = True) -> list[str]:
    """Query strings giving every name a nasty value (one per name per variant, rotated), plus
    repeated parameters, wrong-typed paging and raw percent-escapes. Bounded (full=False): one
    rotation and one of the special strings, both picked by `seed`, so consecutive pages get
    different ones and the whole crawl still sends every value to every name somewhere."""
    names = sorted(set(names))
    variants = []
    for shift in range(seed, seed + len(NASTY), len(NASTY) // ROTATIONS):
        pairs = [(name, NASTY[(i + shift) % len(NASTY)]) for i, name in enumerate(names)]
        variants.append("&".join(f"{quote(n)}={quote(v, safe='')}" for n, v in pairs))
    variants.append("&".join(f"{quote(n)}=1&{quote(n)}=2&{quote(n)}=abc" for n in names))  # repeated
    variants.append("page=99999999&stars=abc&price_min=-1e309&price_max=1e309&sort=%00")
    variants.append("page=0&stars=-1&in_stock=abc&price_min=abc&gi=999999999")
    variants.append("q=%ZZ%00%E0%A4%A&page=%ff&=nokey&novalue&&&" + "&".join(f"k{i}=v" for i in range(300)))
    if full:
        return variants
    return [variants[0], variants[ROTATIONS + seed % (len(variants) - ROTATIONS)]]
