"""What staff do that Wagtail's audit log does not record by itself: exports.

Each entry shows in Reports → Site history. It is logged against the exported
model's content type, and no staff group holds a permission on content types, so
only superusers read these entries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

EXPORT_ACTION = "solidarity.export"


class ExportFormatter(LogFormatter):
    """How an export reads in the site history: rows, format, columns, filters."""

    label = _("Export")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        rows = data.get("rows", 0)
        parts = [
            ngettext(
                "Exported %(rows)d row as %(format)s",
                "Exported %(rows)d rows as %(format)s",
                rows,
            )
            % {"rows": rows, "format": str(data.get("format", "")).upper()},
            gettext("columns: %(columns)s")
            % {"columns": ", ".join(data.get("columns", []))},
        ]
        if data.get("withheld"):
            parts.append(
                gettext("withheld: %(columns)s")
                % {"columns": ", ".join(data["withheld"])}
            )
        if data.get("filters"):
            filters = "; ".join(
                f"{name}={','.join(values)}" for name, values in data["filters"].items()
            )
            parts.append(gettext("filters: %(filters)s") % {"filters": filters})
        return " — ".join(parts)


def export_log(
    *,
    user,
    model: type[Model],
    export_format: str,
    rows: int,
    columns: list[str],
    withheld: list[str],
    filters: dict[str, list[str]],
):
    """Record that `user` exported `rows` rows of `model` as `export_format`, with
    which columns, which were withheld for want of a permission, and the listing's
    filters and search. Returns the log entry."""
    return log(
        instance=ContentType.objects.get_for_model(model),
        action=EXPORT_ACTION,
        user=user,
        title=capfirst(str(model._meta.verbose_name_plural)),
        data={
            "model": model._meta.label_lower,
            "format": export_format,
            "rows": rows,
            "columns": list(columns),
            "withheld": list(withheld),
            "filters": filters,
        },
    )
