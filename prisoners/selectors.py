"""Reading the register: the filtered, searched, sorted list and its counts."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from wagtail.images import get_image_model

from prisoners import choices
from prisoners.transliteration import name_keys
from prisoners.visibility import hidden_lookup

SORTS = {
    "name": ("title",),
    "-detained": ("-detained_on", "title"),
    "detained": ("detained_on", "title"),
    "-updated": ("-last_published_at", "title"),
}
CARD_PHOTO_FILTER = "fill-160x160"
MAX_TEXT_MATCHES = 500

PERSECUTION_Q = {
    choices.PersecutionType.CRIMINAL_CASE: ~Q(criminal_case_authority=""),
    choices.PersecutionType.INTERPOL: ~Q(interpol_notice=""),
    choices.PersecutionType.SIS_ALERT: Q(sis_alert=True),
    choices.PersecutionType.EXTRADITION: ~Q(extradition_requested_by=""),
    choices.PersecutionType.ASYLUM: ~Q(asylum_status=""),
}


@dataclass
class ProfileFilters:
    """What a visitor asked for, from the query string; unknown values are dropped."""

    q: str = ""
    status: str = ""
    persecution: str = ""
    region: str = ""
    criterion: str = ""
    article: str = ""
    year: int | None = None
    sort: str = "name"
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "ProfileFilters":
        f = cls(q=params.get("q", "").strip()[:100])
        status = params.get("status", "")
        f.status = status if status in choices.Status.values else ""
        persecution = params.get("persecution", "")
        f.persecution = (
            persecution if persecution in choices.PersecutionType.values else ""
        )
        f.region = params.get("region", "")[:80]
        criterion = params.get("criterion", "")
        f.criterion = criterion if criterion in choices.PaceCriterion.values else ""
        f.article = params.get("article", "")[:80]
        year = params.get("year", "")
        f.year = int(year) if year.isdigit() and 1900 < int(year) < 2200 else None
        sort = params.get("sort", "name")
        f.sort = sort if sort in SORTS else "name"
        return f

    def as_query(self, **overrides) -> dict:
        values = {
            "q": self.q,
            "status": self.status,
            "persecution": self.persecution,
            "region": self.region,
            "criterion": self.criterion,
            "article": self.article,
            "year": self.year or "",
            "sort": self.sort if self.sort != "name" else "",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v}


def name_query(text: str) -> Q:
    """Every word of the query must start some word of a public spelling."""
    condition = Q()
    for key in name_keys(text):
        condition &= Q(name_search_keys__contains=f" {key}")
    return condition


def search_profiles(queryset: QuerySet, text: str) -> QuerySet:
    """Name search by any spelling, or full text over the public parts of a profile."""
    keys = name_keys(text)
    if not keys:
        return queryset
    by_name = queryset.filter(name_query(text))
    # Full text only over what the search index holds: public text, never hidden.
    # The index cannot apply the list's filters, so they apply to its matches here.
    searchable = queryset.model.objects.live().public()
    full_text_ids = [
        page.pk for page in searchable.search(text, operator="and")[:MAX_TEXT_MATCHES]
    ]
    return queryset.filter(Q(pk__in=by_name.values("pk")) | Q(pk__in=full_text_ids))


def filter_profiles(queryset: QuerySet, f: ProfileFilters) -> QuerySet:
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.persecution:
        queryset = queryset.filter(PERSECUTION_Q[f.persecution])
    if f.region:
        queryset = queryset.filter(home_region__slug=f.region).exclude(
            hidden_fields__contains=hidden_lookup("home_region")
        )
    if f.criterion:
        queryset = queryset.filter(pace_criteria__criterion=f.criterion)
    if f.article:
        queryset = queryset.filter(criminal_articles__slug=f.article).exclude(
            hidden_fields__contains=hidden_lookup("criminal_case")
        )
    if f.year:
        queryset = queryset.filter(detained_on__year=f.year)
    if f.q:
        queryset = search_profiles(queryset, f.q)
    return queryset.distinct()


def profile_list(base: QuerySet, f: ProfileFilters) -> QuerySet:
    """The cards of the list page, with what they show fetched in a fixed number of
    queries however many profiles there are."""
    photos = get_image_model().objects.prefetch_renditions(CARD_PHOTO_FILTER)
    return (
        filter_profiles(base, f)
        .order_by(*SORTS[f.sort])
        .select_related("home_region", "locale")
        .prefetch_related(Prefetch("photo", queryset=photos))
    )


def facet_counts(base: QuerySet, f: ProfileFilters) -> dict:
    """How many profiles each filter option would give, alongside the other filters."""

    def without(**cleared):
        return filter_profiles(base, ProfileFilters(**{**f.__dict__, **cleared}))

    statuses = dict(
        without(status="")
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
    )
    regions = list(
        without(region="")
        .exclude(hidden_fields__contains=hidden_lookup("home_region"))
        .exclude(home_region=None)
        .order_by()
        .values("home_region__slug", "home_region__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("home_region__name")
    )
    criteria = dict(
        without(criterion="")
        .order_by()
        .values_list("pace_criteria__criterion")
        .annotate(n=Count("pk", distinct=True))
    )
    articles = list(
        without(article="")
        .exclude(hidden_fields__contains=hidden_lookup("criminal_case"))
        .exclude(criminal_articles=None)
        .order_by()
        .values("criminal_articles__slug", "criminal_articles__number")
        .annotate(n=Count("pk", distinct=True))
        .order_by("criminal_articles__number")
    )
    years = list(
        without(year=None)
        .exclude(detained_on=None)
        .annotate(y=ExtractYear("detained_on"))
        .order_by()
        .values_list("y")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-y")
    )
    persecution = {}
    unfiltered = without(persecution="")
    for kind, condition in PERSECUTION_Q.items():
        persecution[kind] = condition
    persecution_counts = unfiltered.order_by().aggregate(
        **{
            kind.value: Count("pk", filter=condition, distinct=True)
            for kind, condition in persecution.items()
        }
    )
    return {
        "status": statuses,
        "region": regions,
        "criterion": criteria,
        "article": articles,
        "year": years,
        "persecution": persecution_counts,
    }
