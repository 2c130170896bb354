"""What search matches: one folded text per product (title, producer, GI, commune)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from core.text import fold

WORD = re.compile(r"[^\W_]+")
MAX_WORD_CHARS = 64  # SearchWord.word


def search_text_for(product) -> str:
    parts = [product.title or ""]
    producer = product.producer if product.producer_id else None
    if producer is not None:
        parts += [producer.name, producer.commune]
    if product.gi_id:
        parts.append(product.gi.name)
    return fold(" ".join(p for p in parts if p))


def refresh_search_text(products) -> int:
    """Recompute the folded column of these products (a producer or GI was renamed)."""
    changed = []
    for product in products.select_related("producer", "gi"):
        text = search_text_for(product)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    products.model.objects.bulk_update(changed, ["search_text"], batch_size=500)
    remember_words(product.search_text for product in changed)
    return len(changed)


def words_of(text: str) -> set[str]:
    """The words of a folded text that a typo can be corrected to: letters, two or more of them
    (numbers, such as a pack size or a sample number, are not corrected)."""
    return {w for w in WORD.findall(text) if len(w) >= 2 and not w.isdigit() and len(w) <= MAX_WORD_CHARS}


def remember_words(texts: Iterable[str]) -> None:
    """Add the words of these folded texts to the typo vocabulary (existing words are skipped)."""
    from catalog_ext.models import SearchWord

    words = set()
    for text in texts:
        words |= words_of(text)
    if words:
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True,
                                       batch_size=1000)
