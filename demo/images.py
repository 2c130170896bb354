"""Product pictures for the demo: a clean generated card when no photo can be shipped.

Never a broken image: every demo product gets a real PNG, drawn here with Pillow.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.text import fold

# One colour pair per OCOP group, so a listing reads at a glance.
PALETTE = {
    "food": ((231, 111, 81), (244, 162, 97)),
    "beverage": ((84, 59, 45), (164, 113, 72)),
    "herbal": ((42, 111, 79), (116, 178, 103)),
    "craft": ((128, 36, 78), (212, 83, 126)),
    "ornamental": ((62, 84, 160), (130, 150, 220)),
    "tourism": ((20, 105, 120), (80, 170, 170)),
}
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


@lru_cache(maxsize=4)
def _font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """A font that can draw Vietnamese if the machine has one; else Pillow's own (ASCII only)."""
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:4]


def product_card_png(title: str, group: str, subtitle: str = "", size=(800, 800)) -> bytes:
    top, bottom = PALETTE.get(group, PALETTE["food"])
    img = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(img)
    w, h = size
    for y in range(h):  # vertical gradient
        t = y / h
        colour = tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3))
        draw.line([(0, y), (w, y)], fill=colour)
    draw.ellipse([w * 0.62, -h * 0.12, w * 1.15, h * 0.4], fill=tuple(min(255, c + 30) for c in bottom))
    font, unicode_ok = _font(54)
    small, _ = _font(30)
    text = title if unicode_ok else fold(title).upper()
    sub = subtitle if unicode_ok else fold(subtitle)
    y = h * 0.45
    for line in _wrap(draw, text, font, int(w * 0.84)):
        draw.text((w * 0.08, y), line, font=font, fill=(255, 255, 255))
        y += 66
    if sub:
        draw.text((w * 0.08, h * 0.88), sub, font=small, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
