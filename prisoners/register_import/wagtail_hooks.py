from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import views
from .access import may_import_register
from .services import IMPORT_ACTION


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("register-import/", views.upload, name="register_import"),
        path(
            "register-import/sample.csv",
            views.sample,
            name="register_import_sample",
        ),
        path(
            "register-import/<int:job_id>/",
            views.status,
            name="register_import_status",
        ),
        path(
            "register-import/<int:job_id>/progress/",
            views.progress,
            name="register_import_progress",
        ),
        path(
            "register-import/<int:job_id>/confirm/",
            views.confirm,
            name="register_import_confirm",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import_register(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import a register"),
        reverse("register_import"),
        name="register-import",
        icon_name="upload",
        order=250,
    )


class ImportFormatter(LogFormatter):
    label = _("Register import")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("dry_run"):
            text = ngettext(
                "Dry run of %(file)s: %(rows)d row checked",
                "Dry run of %(file)s: %(rows)d rows checked",
                data.get("rows", 0),
            )
        else:
            text = ngettext(
                "Imported %(file)s: %(rows)d row",
                "Imported %(file)s: %(rows)d rows",
                data.get("rows", 0),
            )
        text %= {"file": data.get("file", ""), "rows": data.get("rows", 0)}
        return (
            text
            + " — "
            + gettext(
                "%(created)d new drafts, %(updated)d updated, %(errors)d with errors, "
                "%(duplicates)d possible duplicates"
            )
            % {
                k: data.get(k, 0)
                for k in ("created", "updated", "errors", "duplicates")
            }
        )


@hooks.register("register_log_actions")
def register_import_action(actions):
    actions.register_action(IMPORT_ACTION)(ImportFormatter)
