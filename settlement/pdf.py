"""The monthly statement as a PDF (fpdf2, pure Python), in DejaVu Sans: it has every Vietnamese
glyph (static/fonts/DejaVuSans.ttf, Bitstream Vera/DejaVu licence beside it)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "DejaVuSans.ttf"


def dong(value: int) -> str:
    return f"{int(value):,}".replace(",", ".") + " ₫"


def statement_pdf(*, producer, title: str, rows, totals: dict, summary) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author(settings.OSCAR_SHOP_NAME)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", size=14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    pdf.cell(0, 6, producer.name, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _("Balance now: %(balance)s · pending (return window): %(pending)s")
             % {"balance": dong(summary.balance), "pending": dong(summary.pending)}, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (20, 28, 62, 12, 24, 22, 24)
    heads = (_("Date"), _("Order or receipt"), _("Product"), _("Qty"), _("Gross"), _("Commission"), _("Net"))
    pdf.set_font("DejaVu", size=8)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 6, head, border=1)
    pdf.ln()
    for row in rows:
        cells = (row.date.strftime("%d/%m/%Y"), row.document, row.product[:40], str(row.quantity),
                 dong(row.gross), dong(row.commission), dong(row.net))
        for i, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, text, border=1, align="R" if i >= 3 else "L")
        pdf.ln()
    total = ("", "", _("Total"), "", dong(totals["gross"]), dong(totals["commission"]), dong(totals["net"]))
    for i, (width, text) in enumerate(zip(widths, total, strict=True)):
        pdf.cell(width, 6, text, border=1, align="R" if i >= 3 else "L")
    pdf.ln()
    return bytes(pdf.output())
