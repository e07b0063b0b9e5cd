"""Reading an uploaded register with tablib (CSV or XLSX) into plain rows: one dict
per line, keyed by our column names, every value a string (JSON-safe, so that a
Celery task can take the rows from the database)."""

import datetime
from decimal import Decimal

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import REQUIRED, column_for

FORMATS = {"csv": "csv", "xlsx": "xlsx"}
MAX_ROWS = 50_000


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value).strip()


def read_register(*, content: bytes, file_name: str) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, with or without BOM) or XLSX file. Unknown columns
    are ignored; a missing required column or an unreadable file is refused."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in FORMATS:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    try:
        if extension == "csv":
            dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file is not in UTF-8.")) from error
    except Exception as error:  # tablib and openpyxl raise many kinds
        raise ValidationError(
            _("The file could not be read as %(format)s.")
            % {"format": extension.upper()}
        ) from error
    keys = [column_for(header) for header in dataset.headers or []]
    missing = [key for key in REQUIRED if key not in keys]
    if missing:
        raise ValidationError(
            _("The file has no column %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if dataset.height > MAX_ROWS:
        raise ValidationError(
            _("A register may have at most %(max)d rows.") % {"max": MAX_ROWS}
        )
    rows = []
    for values in dataset:
        row = {
            key: _text(value) for key, value in zip(keys, values, strict=False) if key
        }
        if any(row.values()):
            rows.append(row)
    return rows
