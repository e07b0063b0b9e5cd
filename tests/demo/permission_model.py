"""The permission model of README.md ("Who can see what"), as data the tests can
check: every URL the site serves belongs to one area, and each area says which
roles may open it. A new screen that is in no area fails the tests until it is
given one here and a row in the README's table."""

from dataclasses import dataclass
from fnmatch import fnmatchcase

STAFF_ROLES = ("Editor", "Moderator", "Board", "Superuser")
# Donors sign in with a code to see their own gifts; they are not staff.
OTHER_ROLES = ("Anonymous", "Donor")
ROLES = OTHER_ROLES + STAFF_ROLES
ALL_STAFF = frozenset(STAFF_ROLES)
CONTENT = frozenset({"Editor", "Moderator", "Superuser"})
PUBLISHERS = frozenset({"Moderator", "Superuser"})
MONEY = frozenset({"Board", "Superuser"})
SITE_ADMIN = frozenset({"Superuser"})
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Area:
    label: str  # as in the README's table
    roles: frozenset[str]
    names: tuple[str, ...]  # URL names (fnmatch patterns)


BOARD = frozenset({"Board"})
NOBODY: frozenset[str] = frozenset()

AREAS = (
    Area(
        "Admin icons and interface strings",
        EVERYONE,
        ("wagtailadmin_sprite", "wagtailadmin_javascript_catalog"),
    ),
    Area(
        "Admin home, own account, choosers, site history, sign-out",
        ALL_STAFF,
        (
            "wagtailadmin_home",
            "wagtailadmin_account",
            "wagtailadmin_logout",
            "wagtailadmin_dismissibles",
            "wagtailadmin_choose_page*",
            "wagtailadmin_pages:choose_parent",
            "wagtailadmin_tag_autocomplete",
            "wagtailadmin_tag_model_autocomplete",
            "wagtailadmin_block_preview",
            "wagtailadmin_editing_sessions:*",
            "wagtailadmin_workflows:task_chooser*",
            "wagtailadmin_pages:confirm_workflow_cancellation",
            "wagtailembeds:*",
            "wagtailadmin_reports:site_history*",
            "wagtailsnippetchoosers_*:choose*",
            "wagtailsnippetchoosers_*:chosen*",
            "wagtailimages_chooser:choose*",
            # Choosing one image needs the right to choose it: with content.
            "wagtailimages_chooser:chosen_multiple",
            "wagtaildocs_chooser:choose*",
            # Likewise one document, now that the demo has documents (the guides).
            "wagtaildocs_chooser:chosen_multiple",
            "wagtail_localize:javascript_catalog",
        ),
    ),
    Area(
        "Pages: drafts, editing, review, translation",
        CONTENT,
        (
            "wagtailadmin_explore*",
            "wagtailadmin_pages:*",
            "wagtail_bulk_action",
            "wagtail_localize:*",
            "wagtailadmin_api:pages:*",
            "wagtailadmin_reports:workflow*",
            "wagtailadmin_reports:aging_pages*",
            "wagtailadmin_reports:page_types_usage*",
            "wagtailforms:*",
        ),
    ),
    Area(
        "Importing a register as draft profiles",
        CONTENT,
        ("register_import*",),
    ),
    Area(
        "Publishing: unpublish, delete, move, privacy, locks",
        PUBLISHERS,
        (
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:unpublish",
            "wagtailadmin_pages:move",
            "wagtailadmin_pages:move_confirm",
            "wagtailadmin_pages:set_privacy",
            "wagtailadmin_pages:revisions_unschedule",
            "wagtailadmin_reports:locked_pages*",
        ),
    ),
    Area(
        "Image URL generator (no dynamic image URLs are served)",
        NOBODY,
        ("wagtailimages:url_generator*",),
    ),
    Area(
        "Images and documents",
        CONTENT,
        (
            "wagtailimages:*",
            "wagtailimages_chooser:*",
            "wagtaildocs:*",
            "wagtaildocs_chooser:*",
            "wagtailadmin_api:images:*",
            "wagtailadmin_api:documents:*",
        ),
    ),
    Area(
        "Snippets: regions, articles, places of detention, themes",
        CONTENT,
        ("wagtailsnippets*", "wagtailsnippetchoosers_*"),
    ),
    Area(
        "Deleting snippets; the footer text",
        SITE_ADMIN,
        (
            "wagtailsnippets_*:delete*",
            "wagtailsnippets_home_footertext:*",
            "wagtailsnippetchoosers_home_footertext:create",
        ),
    ),
    Area(
        "Signatures: list and details, without email addresses",
        CONTENT,
        ("signatures:index*", "signatures:inspect"),
    ),
    Area(
        "Signatures: approve and edit",
        PUBLISHERS,
        ("signatures:*",),
    ),
    Area(
        "Signatures: add, copy, delete",
        SITE_ADMIN,
        ("signatures:add", "signatures:copy", "signatures:delete"),
    ),
    Area(
        "Money records: gifts, monthly gifts, ledger, Stripe events, repairs, "
        "reconciliation",
        MONEY,
        (
            "donation:*",
            "subscription:*",
            "ledgertransaction:*",
            "stripeevent:*",
            "repair_runs:*",
            "reconciliation_reports:*",
            "reconciliation_check",
        ),
    ),
    Area(
        "Case budgets: what each case needs",
        frozenset({"Editor", "Board", "Superuser"}),
        ("casebudgetline:*",),
    ),
    Area(
        "The Board's dashboard, spending with four eyes, payees, annual receipts",
        BOARD,
        (
            "board_dashboard*",
            "board_annual_receipts",
            "allocation:*",
            "disbursement:*",
            "payee:*",
        ),
    ),
    Area(
        "Editing or deleting what is only ever added: money records, spending, "
        "outgoing email",
        NOBODY,
        (
            "allocation:edit",
            "allocation:delete",
            "allocation:usage",
            "disbursement:edit",
            "disbursement:delete",
            "disbursement:usage",
            "payee:delete",
            "casebudgetline:delete",
            "outbox:add",
            "outbox:edit",
            "outbox:delete",
            "outbox:copy",
        ),
    ),
    Area("Outgoing email: status only, never contents", SITE_ADMIN, ("outbox:*",)),
    Area(
        "Member organisations: add, edit, offboard",
        frozenset({"Board", "Superuser"}),
        ("member:*",),
    ),
    Area(
        "Who handles which case",
        frozenset({"Moderator", "Board", "Superuser"}),
        ("casehandling:*",),
    ),
    Area(
        "A member's own money page and co-signing for it",
        NOBODY,
        ("member_money", "network_cosign*"),
    ),
    Area(
        "Reports of persecution: the list, and appointing who reads them",
        SITE_ADMIN,
        ("intake_index", "intake_recipients"),
    ),
    Area(
        "Reports of persecution: one's key, reading and triage",
        NOBODY,
        ("intake_key", "intake_report*", "intake_attachment"),
    ),
    Area(
        "Users, groups, sites, locales, settings, redirects, collections, workflows",
        SITE_ADMIN,
        (
            "wagtailusers_*",
            "wagtailsites:*",
            "wagtaillocales:*",
            "wagtailsettings:*",
            "wagtailredirects:*",
            "wagtailadmin_collections:*",
            "wagtailadmin_workflows:*",
        ),
    ),
)

# Screens reached before signing in, by anyone.
SIGN_IN = (
    "wagtailadmin_login",
    "wagtailadmin_password_reset*",
)
# Placed in an area, but not visited: the reason is why a visit would say nothing.
NOT_VISITED = {
    "wagtailadmin_error_test": "Wagtail's page for testing error reports fails "
    "by design",
    "wagtailadmin_pages:convert_alias": "the demo has no alias pages",
    "wagtail_localize:convert_to_alias": "the demo has no alias pages",
    "wagtailadmin_block_preview": "needs a block of a page type",
    "wagtailadmin_tag_model_autocomplete": "no model of ours has its own tag "
    "autocomplete",
    "wagtailforms:list_submissions": "the site has no form pages",
    "wagtailforms:list_submissions_results": "the site has no form pages",
    "wagtailforms:delete_submissions": "the site has no form pages",
    "wagtailadmin_collections:edit": "the demo has only the root collection, "
    "which nobody edits",
    "wagtailadmin_collections:delete": "the demo has only the root collection, "
    "which nobody deletes",
}


def area_of(name: str) -> Area | None:
    """The most specific area naming this URL: an exact name wins over a pattern,
    a longer pattern over a shorter one."""
    best: tuple[int, Area] | None = None
    for area in AREAS:
        for pattern in area.names:
            if fnmatchcase(name, pattern):
                score = 10_000 if pattern == name else len(pattern.rstrip("*"))
                if best is None or score > best[0]:
                    best = (score, area)
    return best[1] if best else None
