"""Spreadsheet exports from the admin (Wagtail's CSV and XLSX downloads).

Every admin viewset with `list_export` uses `SafeExportViewSetMixin`, so that:
- no cell runs as a formula when the file is opened in a spreadsheet, and no
  control character breaks the workbook (rows signed before names were cleaned
  still hold them);
- a column named in `export_column_permissions` is left out of the export and
  of the search for users without that permission (signers' emails);
- each export is written to the audit log: who, what, how many rows.
"""

import re
from collections.abc import Iterator

from django.utils import translation
from wagtail.admin.views.generic import IndexView

from accounts.audit import export_log

# OWASP's list for CSV injection: a cell starting with one of these may be read
# as a formula (or, after a tab or carriage return, as one in the next cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# C0 controls that XML (so XLSX) cannot hold, DEL and C1 controls, and the bidi
# embeddings, overrides and isolates that make a cell read as something else.
# Tabs and newlines stay: notes and errors span lines.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_text(value: str) -> str:
    """`value` as a spreadsheet cell that holds text and nothing else."""
    value = _UNSAFE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _in_language(lines: Iterator[str], language: str | None) -> Iterator[str]:
    # Each line is made while the file streams out, after the view has returned
    # and the staff member's admin language is no longer active.
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line


class SafeExportMixin:
    """For an admin index view: safe cells, guarded columns, an audited export."""

    # {column: "app_label.codename"}: exported only for users with the permission.
    export_column_permissions: dict[str, str] = {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        columns = list(self.list_export)
        self.list_export = [c for c in columns if self._may_export(c)]
        self.withheld_columns = [c for c in columns if c not in self.list_export]
        # Searching a column reveals it a letter at a time: guarded the same way.
        if self.search_fields:
            self.search_fields = [f for f in self.search_fields if self._may_export(f)]

    def _may_export(self, column: str) -> bool:
        permission = self.export_column_permissions.get(column)
        return permission is None or self.request.user.has_perm(permission)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if isinstance(value, str):
            return spreadsheet_text(value)
        return value

    def stream_csv(self, queryset):
        return _in_language(super().stream_csv(queryset), translation.get_language())

    def as_spreadsheet(self, queryset, spreadsheet_format):
        filters = {
            name: self.request.GET.getlist(name)
            for name in self.request.GET
            if name != "export"
        }
        rows = len(queryset) if isinstance(queryset, list) else queryset.count()
        # Logged before the file streams out: an export cut short was still taken.
        export_log(
            user=self.request.user,
            model=self.model,
            export_format=spreadsheet_format,
            rows=rows,
            columns=self.list_export,
            withheld=self.withheld_columns,
            filters=filters,
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class SafeExportIndexView(SafeExportMixin, IndexView):
    pass


class SafeExportViewSetMixin:
    """For a ModelViewSet: its index view exports through `SafeExportMixin`."""

    index_view_class = SafeExportIndexView
    export_column_permissions: dict[str, str] = {}

    def get_index_view_kwargs(self, **kwargs):
        if self.export_column_permissions:
            kwargs.setdefault(
                "export_column_permissions", self.export_column_permissions
            )
        return super().get_index_view_kwargs(**kwargs)
