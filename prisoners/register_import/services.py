"""Importing a register: every row is checked and matched first (the dry run stops
there), then each good row becomes a draft revision in its own transaction, so a
row that fails changes nothing and the others go on.

Nothing is published: a new profile is an unpublished page under its language's
register with one revision; a profile imported before (same external id) gets a
new draft revision, its live version untouched. Consent stays empty; the model's
own checks refuse publishing until an editor records it and the two-person review
approves."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log

from network.access import sync_member_access
from network.choices import CaseRole
from network.models import CaseHandling
from prisoners import choices
from prisoners.models import (
    AlternativeName,
    ImportedProfile,
    PrisonerPage,
    RegisterImport,
    TimelineEvent,
)
from prisoners.models.register_import import ImportState
from prisoners.transliteration import romanise

from .columns import NAME_COLUMNS, SCRIPTS, TITLE_ORDER
from .matching import Lookups, spelling_key

IMPORT_ACTION = "solidarity.register_import"
PROGRESS_EVERY = 25
_STATUSES = {
    **{value: value for value in choices.Status.values},
    **{str(label).lower(): value for value, label in choices.Status.choices},
    **{value.replace("_", " "): value for value in choices.Status.values},
}


@dataclass
class RowPlan:
    number: int  # the line in the file, the header being line 1
    external_id: str
    language: str = "uk"
    title: str = ""
    action: str = "create"  # create, update or error
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    spellings: list[tuple[str, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    articles: list = field(default_factory=list)
    sentenced_on: datetime.date | None = None
    member: object = None
    translation_key: object = None
    page_id: int | None = None

    def as_report(self) -> dict:
        return {
            "row": self.number,
            "external_id": self.external_id,
            "title": self.title,
            "language": self.language,
            "action": self.action,
            "errors": self.errors,
            "warnings": self.warnings,
            "duplicates": self.duplicates,
            "page_id": self.page_id,
        }


def _date(value: str, label: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    errors.append(
        _("%(column)s: “%(value)s” is not a date (use YYYY-MM-DD or DD.MM.YYYY).")
        % {"column": label, "value": value}
    )
    return None


def _spellings(row: dict) -> list[tuple[str, str]]:
    found = []
    for column in NAME_COLUMNS:
        for name in re.split(r"\s*;\s*", row.get(column, "")):
            if name.strip():
                found.append((SCRIPTS[column], " ".join(name.split())))
    return list(dict.fromkeys(found))


def _resolve(plan: RowPlan, row: dict, lookups: Lookups) -> None:
    """Fill in the plan's values from the row, or its errors."""
    errors = plan.errors
    plan.language = (row.get("language") or "uk").lower()[:2]
    locale = lookups.locales.get(plan.language)
    if plan.language not in TITLE_ORDER or locale is None:
        errors.append(
            _("language: “%(value)s” is not uk, en or ru.") % {"value": plan.language}
        )
        return
    if plan.language not in lookups.registers:
        errors.append(_("There is no register in this language to import into."))
    plan.spellings = _spellings(row)
    title = next((row[c] for c in TITLE_ORDER[plan.language] if row.get(c)), "")
    plan.title = " ".join(title.split())[:255]
    if not plan.title:
        errors.append(_("The row has no name (name_uk, name_en or name_ru)."))

    status = _STATUSES.get(row.get("status", "").strip().lower())
    if status is None:
        errors.append(
            _("status: “%(value)s” is not one of %(choices)s.")
            % {"value": row.get("status", ""), "choices": ", ".join(choices.Status)}
        )
    values = {"status": status}
    for column, label in (
        ("detained_on", "detained_on"),
        ("released_on", "released_on"),
    ):
        values[column] = _date(row.get(column, ""), label, errors)
    plan.sentenced_on = _date(row.get("sentenced_on", ""), "sentenced_on", errors)
    if values["detained_on"] and values["released_on"]:
        if values["released_on"] < values["detained_on"]:
            errors.append(_("The release date is before the detention date."))
    if row.get("sentence_years"):
        try:
            years = Decimal(row["sentence_years"].replace(",", "."))
            if not 0 <= years < 100:
                raise InvalidOperation
            values["sentence_years"] = years.quantize(Decimal("0.1"))
        except InvalidOperation:
            errors.append(
                _("sentence_years: “%(value)s” is not a number of years.")
                % {"value": row["sentence_years"]}
            )

    for column, index, model_field in (
        ("region", lookups.regions, "home_region"),
        ("detention_place", lookups.places, "detention_place"),
    ):
        if row.get(column):
            found = index.find(row[column], locale.pk)
            if found is None or found == "ambiguous":
                errors.append(_unknown(column, row[column], found))
            else:
                values[model_field] = found
    for label in re.split(r"\s*;\s*", row.get("articles", "")):
        if label:
            found = lookups.articles.find(label, locale.pk)
            if found is None or found == "ambiguous":
                errors.append(_unknown("articles", label, found))
            else:
                plan.articles.append(found)
    if row.get("member"):
        member = lookups.member(row["member"])
        if member is None:
            errors.append(
                _("member: no member organisation is called “%(value)s”.")
                % {"value": row["member"]}
            )
        elif not member.is_current:
            errors.append(
                _("member: %(member)s has left the network.") % {"member": member}
            )
        else:
            plan.member = member
    plan.values = {k: v for k, v in values.items() if v not in (None, "")}


def _unknown(column: str, value: str, found) -> str:
    if found == "ambiguous":
        return _("%(column)s: “%(value)s” names several; use the slug.") % {
            "column": column,
            "value": value,
        }
    return _(
        "%(column)s: “%(value)s” is not in the register's list; add it as a "
        "snippet first."
    ) % {"column": column, "value": value}


def plan_rows(*, rows: list[dict], lookups: Lookups) -> list[RowPlan]:
    """What each row would do: create, update or nothing (its errors), and which
    profiles or other rows look like the same person. Reads, never writes."""
    plans: list[RowPlan] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[frozenset, RowPlan] = {}
    for index, row in enumerate(rows):
        plan = RowPlan(number=index + 2, external_id=row.get("external_id", ""))
        plans.append(plan)
        if not plan.external_id:
            plan.errors.append(_("The row has no external_id."))
        elif plan.external_id in seen_ids:
            plan.errors.append(
                _("external_id “%(id)s” is also on row %(row)d.")
                % {"id": plan.external_id, "row": seen_ids[plan.external_id]}
            )
        else:
            seen_ids[plan.external_id] = plan.number
        _resolve(plan, row, lookups)
        plan.translation_key = lookups.imported.get(plan.external_id)
        if plan.translation_key and plan.translation_key not in lookups.profiles:
            # The profile was deleted since: import it afresh.
            plan.translation_key = None
        if plan.translation_key:
            plan.action = "update"
        names = [name for _script, name in plan.spellings]
        for key in sorted(
            lookups.same_person(names, exclude=plan.translation_key), key=str
        ):
            pk, _locale, title, pseudonym = lookups.profiles[key][0]
            plan.duplicates.append(
                {
                    "kind": "profile",
                    "page_id": pk,
                    # A pseudonymous profile's real name is not to be shown next to
                    # it: the match itself is the warning.
                    "title": title,
                }
            )
        for name in names:
            key = spelling_key(name)
            if len(key) < 2:
                continue
            other = seen_names.get(key)
            if other is None:
                seen_names[key] = plan
            elif other is not plan and other.external_id != plan.external_id:
                if not any(d.get("row") == other.number for d in plan.duplicates):
                    plan.duplicates.append({"kind": "row", "row": other.number})
                    other.duplicates.append({"kind": "row", "row": plan.number})
        if plan.errors:
            plan.action = "error"
    return plans


def _apply_new(plan: RowPlan, lookups: Lookups, user) -> PrisonerPage:
    register = lookups.registers[plan.language]
    slug = slugify(romanise(plan.title))[:70] or "profile"
    page = PrisonerPage(
        title=plan.title,
        slug=find_available_slug(register, slug),
        locale=register.locale,
        live=False,
        owner=user,
        **plan.values,
    )
    for script, name in plan.spellings:
        if name != plan.title:
            page.spellings.add(AlternativeName(script=script, name=name))
    if plan.sentenced_on:
        page.timeline_events.add(
            TimelineEvent(
                date=plan.sentenced_on, kind=choices.TimelineEventKind.VERDICT
            )
        )
    page.criminal_articles.set(plan.articles)
    register.add_child(instance=page)
    # Without consent the page could not pass its own checks (which is what keeps
    # it from being published); a draft is saved without them, as a report's is.
    page.save_revision(user=user, log_action=True, clean=False)
    ImportedProfile.objects.create(
        external_id=plan.external_id, translation_key=page.translation_key
    )
    return page


def _apply_update(plan: RowPlan, lookups: Lookups, user) -> PrisonerPage:
    versions = lookups.profiles[plan.translation_key]
    locale = lookups.locales[plan.language]
    pk = next((v[0] for v in versions if v[1] == locale.pk), versions[0][0])
    page = PrisonerPage.objects.get(pk=pk).get_latest_revision_as_object()
    for name, value in plan.values.items():
        setattr(page, name, value)
    if page.is_pseudonym:
        # Spellings are public: a pseudonymous profile gets none from the file.
        plan.warnings.append(
            _("The profile uses a pseudonym: its spellings were left as they were.")
        )
    else:
        known = {(s.script, s.name) for s in page.spellings.all()}
        known.add(("", page.title))
        new = [
            AlternativeName(script=script, name=name)
            for script, name in plan.spellings
            if (script, name) not in known and name != page.title
        ]
        if new:
            page.spellings = [*page.spellings.all(), *new]
    if plan.sentenced_on and not any(
        e.kind == choices.TimelineEventKind.VERDICT and e.date == plan.sentenced_on
        for e in page.timeline_events.all()
    ):
        page.timeline_events = [
            *page.timeline_events.all(),
            TimelineEvent(
                date=plan.sentenced_on, kind=choices.TimelineEventKind.VERDICT
            ),
        ]
    if plan.articles:
        page.criminal_articles = plan.articles
    # A new draft revision only: a live profile stays as published until review.
    page.save_revision(user=user, log_action=True, clean=False)
    return page


def _handle(plan: RowPlan, page: PrisonerPage, user) -> bool:
    """The member as handling the case (documenting it, unless it already has a
    role). True when the member's page rights need recomputing."""
    handling, created = CaseHandling.objects.get_or_create(
        member=plan.member,
        case_key=page.translation_key,
        defaults={"role": CaseRole.DOCUMENTS},
    )
    if created:
        log(instance=handling, action="wagtail.create", user=user)
    return created


def apply_plans(
    *,
    plans: list[RowPlan],
    lookups: Lookups,
    user,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write every row without errors, each in its own transaction."""
    members_to_sync = {}
    for done, plan in enumerate(plans, start=1):
        if plan.action != "error":
            try:
                with transaction.atomic():
                    if plan.action == "update":
                        page = _apply_update(plan, lookups, user)
                    else:
                        page = _apply_new(plan, lookups, user)
                    if plan.member and _handle(plan, page, user):
                        members_to_sync[plan.member.pk] = plan.member
            except Exception as error:  # noqa: BLE001 - the row fails, not the import
                plan.action = "error"
                plan.errors.append(
                    _("The row could not be saved: %(error)s") % {"error": error}
                )
            else:
                plan.page_id = page.pk
                lookups.remember_profile(
                    pk=page.pk, key=page.translation_key, locale_id=page.locale_id,
                    title=page.title, pseudonym=page.is_pseudonym, words=[],
                )  # fmt: skip
        if progress and (done % PROGRESS_EVERY == 0 or done == len(plans)):
            progress(done)
    # Once per member rather than per row: the rights follow from all its cases.
    for member in members_to_sync.values():
        sync_member_access(member=member)


def summarise(plans: list[RowPlan], *, dry_run: bool) -> dict:
    return {
        "dry_run": dry_run,
        "rows": len(plans),
        "created": sum(p.action == "create" for p in plans),
        "updated": sum(p.action == "update" for p in plans),
        "errors": sum(p.action == "error" for p in plans),
        "duplicates": sum(bool(p.duplicates) for p in plans),
        "details": [p.as_report() for p in plans],
    }


def run_import(*, job: RegisterImport) -> RegisterImport:
    """Plan the job's rows, and unless it is a dry run, import them; record the
    outcome on the job and in the audit log. The uploaded rows are dropped once
    imported: the profiles now hold what was in them."""
    RegisterImport.objects.filter(pk=job.pk).update(
        state=ImportState.RUNNING, processed=0, total=len(job.rows)
    )

    def progress(done: int) -> None:
        RegisterImport.objects.filter(pk=job.pk).update(processed=done)

    try:
        lookups = Lookups.load()
        plans = plan_rows(rows=job.rows, lookups=lookups)
        if not job.dry_run:
            apply_plans(
                plans=plans, lookups=lookups, user=job.created_by, progress=progress
            )
    except Exception:
        RegisterImport.objects.filter(pk=job.pk).update(
            state=ImportState.FAILED, finished_at=timezone.now()
        )
        raise
    job.report = summarise(plans, dry_run=job.dry_run)
    job.state = ImportState.DONE
    job.processed = job.total = len(plans)
    job.finished_at = timezone.now()
    if not job.dry_run:
        job.rows = []
    job.save()
    log_import(job=job)
    return job


def log_import(*, job: RegisterImport):
    """The import in the site history: who, which file, what it did (no names)."""
    report = job.report
    return log(
        instance=ContentType.objects.get_for_model(PrisonerPage),
        action=IMPORT_ACTION,
        user=job.created_by,
        title=job.file_name or str(PrisonerPage._meta.verbose_name_plural),
        data={
            "import_id": job.pk,
            "file": job.file_name,
            "dry_run": job.dry_run,
            **{k: report.get(k, 0) for k in ("rows", "created", "updated", "errors")},
            "duplicates": report.get("duplicates", 0),
        },
    )


def start_import(*, user, file_name: str, rows: list[dict], dry_run: bool):
    """A job for the rows, run by Celery (at once where tasks run eagerly)."""
    from .tasks import run_register_import

    job = RegisterImport.objects.create(
        created_by=user, file_name=file_name[:255], rows=rows, dry_run=dry_run,
        total=len(rows),
    )  # fmt: skip
    transaction.on_commit(lambda: run_register_import.delay(job.pk))
    return job


def confirm_import(*, job: RegisterImport):
    """After a dry run: import the same rows for real."""
    from .tasks import run_register_import

    if not job.dry_run or job.state != ImportState.DONE or not job.rows:
        raise ValueError("Only a finished dry run can be confirmed.")
    RegisterImport.objects.filter(pk=job.pk).update(
        dry_run=False, state=ImportState.PENDING, processed=0, report={}
    )
    transaction.on_commit(lambda: run_register_import.delay(job.pk))
    job.refresh_from_db()
    return job
