"""Annual receipts: one receipt per donor and calendar year.

- selectors.py: the year's figures (`annual_receipt`), the years a donor has one,
  who gets one in January;
- services.py: emailing each donor the link to theirs, once per donor and year;
- wording.py and pdf.py: the receipt's words (one source for the page and the
  PDF) and the PDF, with the DejaVu Sans font in fonts/ (licence beside it);
- views.py: the donor's printable page and PDF, from the manage link;
- admin.py and hooks.py: the Board's sending page in the admin.
"""
