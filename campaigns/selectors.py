"""Reading campaigns and statements: progress, signature counts, public lists."""

from dataclasses import asdict, dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from wagtail import hooks

from campaigns.choices import CampaignStatus, SignatureStatus, SignerKind
from campaigns.models import CampaignPage, Signature
from prisoners.visibility import hidden_lookup

BASE_CURRENCY = "EUR"
# A hook taking `campaign_key=` and answering the published euro cents raised.
CAMPAIGN_RAISED_HOOK = "campaign_raised"


@dataclass(frozen=True)
class Progress:
    """A campaign's fundraising, in minor units of the base currency."""

    goal: int
    raised: int
    currency: str = BASE_CURRENCY

    @property
    def goal_units(self) -> int:
        return self.goal // 100

    @property
    def raised_units(self) -> int:
        return self.raised // 100

    @property
    def percent(self) -> int:
        if not self.goal:
            return 0
        return min(100, self.raised * 100 // self.goal)

    def as_dict(self) -> dict:
        return {**asdict(self), "percent": self.percent}


def campaign_progress(campaign: CampaignPage) -> Progress:
    """How much of its goal a campaign has raised: what donors gave its fund in the
    ledger (all language versions share one fund), net of refunds and disputes, as
    the public may see it: complete months only, in batches of at least three
    gifts, rounded down to tens of euros.

    The figure comes from whoever registered the `campaign_raised` hook (the
    donations app does), so that campaigns need not know the money app; with no
    such hook, nothing is raised."""
    raised = sum(
        fn(campaign_key=campaign.translation_key)
        for fn in hooks.get_hooks(CAMPAIGN_RAISED_HOOK)
    )
    return Progress(goal=campaign.fundraising_goal * 100, raised=raised)


@dataclass(frozen=True)
class SignatureCounts:
    total: int = 0
    organisations: int = 0
    individuals: int = 0
    unnamed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


_COUNTS = {
    "total": Count("pk"),
    "organisations": Count("pk", filter=Q(kind=SignerKind.ORGANISATION)),
    "individuals": Count("pk", filter=Q(kind=SignerKind.INDIVIDUAL)),
    "unnamed": Count("pk", filter=Q(kind=SignerKind.INDIVIDUAL, show_name=False)),
}


def _counted() -> QuerySet:
    return Signature.objects.filter(status=SignatureStatus.CONFIRMED)


def signature_counts(statement_key) -> SignatureCounts:
    """Confirmed signatures of a statement, in every language, in one query."""
    return SignatureCounts(
        **_counted().filter(statement_key=statement_key).aggregate(**_COUNTS)
    )


def signature_counts_for(statement_keys) -> dict:
    rows = (
        _counted()
        .filter(statement_key__in=list(statement_keys))
        .values("statement_key")
        .annotate(**_COUNTS)
    )
    return {row.pop("statement_key"): SignatureCounts(**row) for row in rows}


def public_signatories(statement_key) -> QuerySet:
    """Names the public may see: confirmed people who chose to be named, and
    confirmed organisations a moderator approved. Never emails."""
    return (
        _counted()
        .filter(statement_key=statement_key, show_name=True)
        .filter(Q(kind=SignerKind.INDIVIDUAL) | Q(approved=True))
        .only("kind", "name", "country", "website", "confirmed_at")
        .order_by("-kind", "confirmed_at", "pk")  # organisations, then people
    )


def _status_order():
    return Case(
        *[When(status=s, then=Value(n)) for s, n in _STATUS_RANK.items()],
        output_field=IntegerField(),
    )


_STATUS_RANK = {
    CampaignStatus.ACTIVE: 0,
    CampaignStatus.WON: 1,
    CampaignStatus.CLOSED: 2,
}


def _region_visible():
    return ~Q(
        prisoner_links__prisoner__hidden_fields__contains=hidden_lookup("home_region")
    )


def campaign_list(index, *, theme: str = "", region: str = "") -> QuerySet:
    campaigns = CampaignPage.objects.live().public().child_of(index)
    if theme:
        campaigns = campaigns.filter(theme__slug=theme)
    if region:
        campaigns = campaigns.filter(
            Q(prisoner_links__prisoner__home_region__slug=region) & _region_visible()
        )
    return (
        campaigns.distinct()
        .annotate(status_rank=_status_order())
        .order_by("status_rank", "-first_published_at")
        .select_related("theme", "hero_image")
    )


def campaign_list_filters(index) -> dict:
    campaigns = CampaignPage.objects.live().public().child_of(index)
    themes = (
        campaigns.exclude(theme=None)
        .values("theme__slug", "theme__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("theme__name")
    )
    regions = (
        campaigns.filter(_region_visible())
        .exclude(prisoner_links__prisoner__home_region=None)
        .values(
            "prisoner_links__prisoner__home_region__slug",
            "prisoner_links__prisoner__home_region__name",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by("prisoner_links__prisoner__home_region__name")
    )
    return {
        "themes": [(t["theme__slug"], t["theme__name"], t["n"]) for t in themes],
        "regions": [
            (
                r["prisoner_links__prisoner__home_region__slug"],
                r["prisoner_links__prisoner__home_region__name"],
                r["n"],
            )
            for r in regions
        ],
    }


def campaigns_for_prisoner(prisoner) -> QuerySet:
    return (
        CampaignPage.objects.live()
        .public()
        .filter(prisoner_links__prisoner=prisoner)
        .distinct()
        .annotate(status_rank=_status_order())
        .order_by("status_rank", "-first_published_at")
    )
