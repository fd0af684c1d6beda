"""The course certificate as an A4 PDF (fpdf2), in the person's language.

DejaVu Sans is embedded (shipped in ``learning/data/fonts`` with its licence), so æ, ø
and å print the same on every machine; fpdf2 embeds only the letters used.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from learning.formatting import fmt_date
from learning.i18n import current_language, t
from learning.municipalities import name_of
from learning.services.certificates import Certificate

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
INK = (20, 26, 74)          # dark blue: contrast above 12:1 on white
ACCENT = (40, 53, 147)
MUTED = (70, 70, 70)


def certificate_pdf(cert: Certificate) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(t("certificate.pdf_title", module=cert.module_title))
    pdf.set_author(t("certificate.issuer"))
    pdf.set_lang(current_language())
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 186, 273)
    pdf.set_line_width(0.3)
    pdf.rect(15, 15, 180, 267)

    def line(text: str, size: float, *, bold: bool = False, colour=INK, gap: float = 4) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.set_x(25)
        pdf.multi_cell(160, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(38)
    line(t("certificate.brand"), 12, colour=ACCENT, gap=10)
    line(t("certificate.heading"), 34, bold=True, gap=16)
    line(t("certificate.confirms"), 13, colour=MUTED)
    line(cert.name, 24, bold=True, gap=3)
    line(t("certificate.from", municipality=name_of(cert.municipality)), 13, colour=MUTED, gap=12)
    line(t("certificate.completed_module"), 13, colour=MUTED)
    line(cert.module_title, 19, bold=True, gap=8)
    line(t("certificate.facts", version=cert.version, date=fmt_date(cert.completed_at)), 13)
    if cert.expires:
        line(t("certificate.valid_until", date=fmt_date(cert.expires)), 13)
    pdf.set_y(205)
    line(t("certificate.issued_by", issuer=t("certificate.issuer")), 11, colour=MUTED, gap=10)
    pdf.set_draw_color(*ACCENT)
    pdf.line(40, pdf.get_y(), 170, pdf.get_y())
    pdf.ln(6)
    line(t("certificate.code_label"), 10, colour=MUTED, gap=1)
    line(cert.code, 14, bold=True, gap=3)
    line(t("certificate.how_to_verify"), 9, colour=MUTED, gap=0)
    return bytes(pdf.output())
