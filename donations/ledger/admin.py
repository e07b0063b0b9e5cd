"""The base of the admin's read-only views of money records."""

from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyViewSet(ModelViewSet):
    """Money records are written by services only: the admin shows, never edits."""

    add_to_admin_menu = False
    inspect_view_enabled = True
    form_fields: list[str] = []

    def get_urlpatterns(self):
        read_only = {"index", "index_results", "inspect"}
        return [p for p in super().get_urlpatterns() if p.name in read_only]
