"""An annual receipt as a PDF (fpdf2), in the current language.

The PDF's built-in fonts have no Cyrillic, so DejaVu Sans is embedded (subset to
the glyphs used), from the copy shipped beside this module with its licence. The
file asks for nothing from anywhere: no images, links or remote fonts.
"""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from donations.donors.annual.selectors import AnnualReceipt
from donations.donors.annual.wording import Wording, annual_receipt_wording

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
AMOUNT_COLUMNS = ("LEFT", "RIGHT", "RIGHT", "RIGHT")
GREY = (90, 90, 90)


class _ReceiptPDF(FPDF):
    page_label = ""
    running_head = ""  # on every page after the first: whose receipt, which year

    def header(self):
        if self.page_no() > 1 and self.running_head:
            self.set_font(FAMILY, size=8)
            self.set_text_color(*GREY)
            self.multi_cell(
                0, 4, self.running_head, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            self.set_text_color(0, 0, 0)
            self.ln(4)

    def footer(self):
        self.set_y(-15)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*GREY)
        self.cell(
            0,
            10,
            self.page_label % {"page": self.page_no(), "pages": "{nb}"},
            align="C",
        )


def _document(words: Wording) -> _ReceiptPDF:
    pdf = _ReceiptPDF(format="A4")
    pdf.page_label = _("Page %(page)s of %(pages)s")
    pdf.running_head = f"{words.organisation} · {words.title} · {words.donor}"
    pdf.add_font(FAMILY, fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(words.title)
    pdf.set_author(words.organisation)
    pdf.set_creator(words.organisation)
    pdf.set_lang(translation.get_language() or "en")
    return pdf


def _line(pdf: FPDF, text: str, *, size: float = 10, bold: bool = False) -> None:
    pdf.set_font(FAMILY, style="B" if bold else "", size=size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _facts(pdf: FPDF, pairs: list[tuple[str, str]]) -> None:
    pdf.set_font(FAMILY, size=10)
    with pdf.table(
        col_widths=(35, 135),
        width=170,
        align="LEFT",
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.NONE,
        line_height=5.5,
    ) as table:
        for label, value in pairs:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)


def _table(
    pdf: FPDF, heading: tuple, rows: list[tuple], *, widths: tuple, bold_last=False
) -> None:
    pdf.set_font(FAMILY, size=9.5)
    with pdf.table(
        col_widths=widths,
        width=170,
        text_align=AMOUNT_COLUMNS,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5.5,
        padding=(0.8, 1.5),
    ) as table:
        table.row(heading)
        for n, cells in enumerate(rows):
            last = bold_last and n == len(rows) - 1
            table.row(cells, style=FontFace(emphasis="BOLD") if last else None)


def annual_receipt_pdf(*, receipt: AnnualReceipt) -> bytes:
    """The receipt as the bytes of a PDF file, in the current language."""
    words = annual_receipt_wording(receipt)
    pdf = _document(words)
    pdf.add_page()

    _line(pdf, words.organisation, size=13, bold=True)
    pdf.set_text_color(*GREY)
    if words.registration:
        _line(pdf, f"{words.registration_label}: {words.registration}", size=9)
    if words.address:
        _line(pdf, f"{words.address_label}: {words.address}", size=9)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(6)

    _line(pdf, words.title, size=17, bold=True)
    pdf.ln(2)
    _facts(pdf, [(words.donor_label, words.donor), (words.issued_label, words.issued)])
    pdf.ln(2)
    _line(pdf, words.period)
    pdf.ln(4)

    _line(pdf, words.gifts_heading, size=12, bold=True)
    pdf.ln(1)
    _table(
        pdf,
        words.columns,
        [(r.date, r.gift, r.refunded, r.euros) for r in words.rows],
        widths=(40, 40, 45, 45),
    )
    pdf.ln(5)

    # The totals, the statement and the notes stay on one page.
    if pdf.will_page_break(9 * (len(words.totals) + 2) + 45):
        pdf.add_page()
    _line(pdf, words.totals_heading, size=12, bold=True)
    pdf.ln(1)
    totals = [(t.currency, t.given, t.refunded, t.net) for t in words.totals]
    if words.euros_total:
        t = words.euros_total
        totals.append((t.currency, t.given, t.refunded, t.net))
    _table(pdf, words.total_columns, totals, widths=(62, 36, 36, 36), bold_last=True)
    pdf.ln(6)

    _line(pdf, words.no_return, size=10.5, bold=True)
    pdf.ln(3)
    pdf.set_text_color(*GREY)
    for note in words.notes:
        _line(pdf, note, size=8.5)
        pdf.ln(1)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    _line(pdf, words.thanks)
    return bytes(pdf.output())
