"""Reading the network for the public: which members may be named, who handles a
case, a member's cases and campaigns. Every function starts from
`Member.objects.public()`, so a member that is not public or has left the network
is never named, linked, counted or matched."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Count, QuerySet
from django.utils.translation import get_language
from wagtail.models import Locale

from .choices import Activity, CaseRole, WorkLanguage
from .models import CaseHandling, Member


def public_members() -> QuerySet:
    return Member.objects.public().select_related("logo").order_by("name")


def public_member(slug: str) -> Member | None:
    return public_members().filter(slug=slug).first()


# --- The network page and its filters ------------------------------------------------


@dataclass
class MemberFilters:
    """What a visitor asked for on the network page; unknown values are dropped."""

    activity: str = ""
    country: str = ""
    language: str = ""

    @classmethod
    def from_query(cls, params) -> "MemberFilters":
        activity = params.get("activity", "")
        language = params.get("language", "")
        country = params.get("country", "").upper()
        return cls(
            activity=activity if activity in Activity.values else "",
            # Only a country some public member is in: no guessing at others.
            country=country if country in dict(member_countries()) else "",
            language=language if language in WorkLanguage.values else "",
        )

    def as_query(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def _json_list_contains(field: str, value: str) -> dict:
    # Lists of codes are stored as JSON arrays; a quoted LIKE works on every
    # database (SQLite has no JSON containment) and cannot match part of a code.
    return {f"{field}__icontains": f'"{value}"'}


def filter_members(members: QuerySet, f: MemberFilters) -> QuerySet:
    if f.activity:
        members = members.filter(**_json_list_contains("activities", f.activity))
    if f.language:
        members = members.filter(**_json_list_contains("work_languages", f.language))
    if f.country:
        members = members.filter(country=f.country)
    return members


def member_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries public members work from, by name."""
    codes = set(public_members().values_list("country", flat=True))
    members = [Member(country=code) for code in codes]
    return sorted(
        ((m.country.code, m.country.name) for m in members), key=lambda c: c[1]
    )


# --- Who handles a case ---------------------------------------------------------------


@dataclass(frozen=True)
class Handler:
    """A public member named on a profile; `role` is None when the case hides it."""

    member: Member
    role: str | None

    @property
    def role_label(self) -> str:
        return str(dict(CaseRole.choices)[self.role]) if self.role else ""


def handled_by(profile) -> list[Handler]:
    """The public members working on the profile's case, by name, in one query."""
    handlings = (
        CaseHandling.objects.filter(
            case_key=profile.translation_key, member__in=Member.objects.public()
        )
        .select_related("member", "member__logo")
        .order_by("member__name")
    )
    return [Handler(h.member, h.role if h.role_public else None) for h in handlings]


def case_keys_of(member: Member) -> QuerySet:
    return CaseHandling.objects.filter(member=member).values("case_key")


def case_keys_of_public_member(slug: str) -> QuerySet:
    """The cases of the public member with this address (none for any other), as a
    subquery for the register's filter."""
    return CaseHandling.objects.filter(
        member__in=Member.objects.public().filter(slug=slug)
    ).values("case_key")


def member_case_counts(profiles: QuerySet) -> list[dict]:
    """How many of `profiles` each public member handles: one GROUP BY query."""
    return list(
        CaseHandling.objects.filter(
            member__in=Member.objects.public(),
            case_key__in=profiles.order_by().values("translation_key"),
        )
        .values("member__slug", "member__name")
        .annotate(n=Count("case_key", distinct=True))
        .order_by("member__name")
    )


def public_cases_of(member: Member, locale: Locale) -> list:
    """The member's cases as live, public profiles in `locale`, by name."""
    from prisoners.models import PrisonerPage

    if not member.shown_publicly:
        return []
    return list(
        PrisonerPage.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=case_keys_of(member))
        .select_related("photo", "home_region", "locale")
        .defer_streamfields()
        .order_by("title")
    )


def campaigns_about(profiles) -> list:
    """Live, public campaigns about any of these profiles."""
    from campaigns.models import CampaignPage

    if not profiles:
        return []
    return list(
        CampaignPage.objects.live()
        .public()
        .filter(prisoner_links__prisoner__in=profiles)
        .distinct()
        .select_related("hero_image", "theme")
        .order_by("-first_published_at")
    )


# --- Links to member pages ------------------------------------------------------------


def network_index(locale: Locale | None = None):
    """The live network page in `locale` (the current language by default)."""
    from .pages import NetworkIndexPage

    if locale is None:
        locale = Locale.objects.filter(language_code=get_language()).first()
    pages = NetworkIndexPage.objects.live().public()
    return pages.filter(locale=locale).first() if locale else None


def member_urls_by_language(member: Member, request=None) -> dict[str, str]:
    """The member's page in every language the network page exists in."""
    from .pages import NetworkIndexPage

    if not member.shown_publicly:
        return {}
    indexes = NetworkIndexPage.objects.live().public().select_related("locale")
    return {
        index.locale.language_code: f"{index.get_full_url(request)}{member.slug}/"
        for index in indexes
    }


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def signatory_members(signatures, index=None, request=None) -> dict[int, str]:
    """{signature pk: member page URL} for organisation signatures that are a
    public member: same name (ignoring case) or a website on the same host."""
    from campaigns.choices import SignatureStatus, SignerKind
    from campaigns.models import Signature

    index = index or network_index()
    pks = [signature.pk for signature in signatures]
    if index is None or not pks:
        return {}
    # Asked again rather than read from the objects given: a list may have loaded
    # only some fields, and only a confirmed, approved, named organisation links.
    named = Signature.objects.filter(
        pk__in=pks,
        kind=SignerKind.ORGANISATION,
        status=SignatureStatus.CONFIRMED,
        approved=True,
        show_name=True,
    ).values_list("pk", "name", "website")
    members = list(Member.objects.public().only("name", "slug", "website"))
    by_name = {m.name.casefold(): m for m in members}
    by_host = {_host(m.website): m for m in members if _host(m.website)}
    links = {}
    for pk, name, website in named:
        member = by_name.get(name.casefold()) or by_host.get(_host(website))
        if member is not None:
            links[pk] = index.member_url(member, request)
    return links
