"""Vietnamese text folding: the one place that decides how "Cà phê Đà" matches "ca phe da"."""
import unicodedata

# "đ" is a letter of its own, not d + a combining mark, so NFD alone would keep it.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Strip Vietnamese tone and vowel marks and lower-case: 'Chè Shan Tuyết' -> 'che shan tuyet'."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
