"""Reading the register: the filtered, searched, sorted list and its counts."""

import hashlib
from dataclasses import dataclass

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
FACET_CACHE_SECONDS = 600

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
    # The address of a public member organisation; any other is dropped, so that
    # the list never tells a non-public member's address from a made-up one.
    member: str = ""
    sort: str = "name"
    # Filled once per request by `with_text_matches` when there is a query.
    text_matches: tuple[int, ...] = ()

    def with_text_matches(self, model) -> "ProfileFilters":
        if self.q:
            self.text_matches = full_text_matches(model, self.q)
        return self

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
        f.member = _public_member_slug(params.get("member", ""))
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
            "member": self.member,
            "sort": self.sort if self.sort != "name" else "",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v}


def _public_member_slug(slug: str) -> str:
    # The network app owns who may be named; the register only asks it.
    from network.selectors import public_member

    slug = slug.strip()[:80]
    return slug if slug and public_member(slug) is not None else ""


def name_query(text: str) -> Q:
    """Every word of the query must start some word of a public spelling."""
    condition = Q()
    for key in name_keys(text):
        condition &= Q(name_search_keys__contains=f" {key}")
    return condition


def full_text_matches(model, text: str) -> tuple[int, ...]:
    """Profiles whose public text matches, from Wagtail's search index (which holds
    only public text). Run once per request: the list and every count reuse it."""
    from home.site_cache import public

    if not name_keys(text):
        return ()
    results = public(model.objects.live()).only("pk").search(text, operator="and")
    return tuple(page.pk for page in results[:MAX_TEXT_MATCHES])


def _pages_with(through_queryset, column: str) -> Q:
    # A subquery rather than a join, so that no profile is listed twice and no
    # DISTINCT over every column is needed.
    return Q(pk__in=through_queryset.values(column))


def filter_profiles(queryset: QuerySet, f: ProfileFilters) -> QuerySet:
    from prisoners.models import PaceCriterionEvidence, PrisonerPage

    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.persecution:
        queryset = queryset.filter(PERSECUTION_Q[f.persecution])
    if f.region:
        queryset = queryset.filter(home_region__slug=f.region).exclude(
            hidden_fields__contains=hidden_lookup("home_region")
        )
    if f.criterion:
        queryset = queryset.filter(
            _pages_with(
                PaceCriterionEvidence.objects.filter(criterion=f.criterion), "page_id"
            )
        )
    if f.article:
        articles = PrisonerPage.criminal_articles.through.objects.filter(
            criminalarticle__slug=f.article
        )
        queryset = queryset.filter(_pages_with(articles, "prisonerpage_id")).exclude(
            hidden_fields__contains=hidden_lookup("criminal_case")
        )
    if f.year:
        queryset = queryset.filter(detained_on__year=f.year)
    if f.member:
        from network.selectors import case_keys_of_public_member

        queryset = queryset.filter(
            translation_key__in=case_keys_of_public_member(f.member)
        )
    if f.q:
        queryset = queryset.filter(name_query(f.q) | Q(pk__in=f.text_matches))
    return queryset


def profile_list(base: QuerySet, f: ProfileFilters) -> QuerySet:
    """The cards of the list page, with what they show fetched in a fixed number of
    queries however many profiles there are."""
    photos = get_image_model().objects.prefetch_renditions(CARD_PHOTO_FILTER)
    return (
        filter_profiles(base, f)
        .order_by(*SORTS[f.sort])
        .select_related("home_region", "locale")
        .prefetch_related(Prefetch("photo", queryset=photos))
        .defer_streamfields()
        .defer("story", "case_summary", "assessment_summary", "name_search_keys")
    )


def facet_counts(base: QuerySet, f: ProfileFilters) -> dict:
    """How many profiles each filter option would give, alongside the other filters."""

    def without(**cleared):
        return filter_profiles(base, ProfileFilters(**{**f.__dict__, **cleared}))

    statuses = dict(
        without(status="").order_by().values_list("status").annotate(n=Count("pk"))
    )
    regions = list(
        without(region="")
        .exclude(hidden_fields__contains=hidden_lookup("home_region"))
        .exclude(home_region=None)
        .order_by()
        .values("home_region__slug", "home_region__name")
        .annotate(n=Count("pk"))
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
        .annotate(n=Count("pk"))
        .order_by("criminal_articles__number")
    )
    years = list(
        without(year=None)
        .exclude(detained_on=None)
        .annotate(y=ExtractYear("detained_on"))
        .order_by()
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    persecution_counts = (
        without(persecution="")
        .order_by()
        .aggregate(
            **{
                kind.value: Count("pk", filter=condition)
                for kind, condition in PERSECUTION_Q.items()
            }
        )
    )
    from network.selectors import member_case_counts

    return {
        "status": statuses,
        "member": member_case_counts(without(member="")),
        "region": regions,
        "criterion": criteria,
        "article": articles,
        "year": years,
        "persecution": persecution_counts,
    }


def listing_key(index_page, f: ProfileFilters) -> str:
    """Names one list (filters, search and sort) of `index_page` in this generation:
    the key of its counts and, with the page number and language, of its cards."""
    from home.site_cache import generation

    query = sorted(f.as_query().items())
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:24]
    return f"{generation()}:{index_page.pk}:{digest}"


def cached_listing(index_page, base: QuerySet, f: ProfileFilters) -> dict:
    """The facet counts, how many profiles match, and the search's matches, kept
    until the next publish or unpublish anywhere on the site.

    The counts are the costliest part of the list (one GROUP BY per filter), and they
    change only when a page does: they share the page cache's generation, so any
    publish, unpublish or snippet change drops them at once. Fills
    `f.text_matches` (from the cache when it can), which the cards' query needs.
    """
    from home.site_cache import cached

    def compute():
        from prisoners.models import PrisonerPage

        f.with_text_matches(PrisonerPage)
        return {
            "counts": facet_counts(base, f),
            "total": filter_profiles(base, f).count(),
            "text_matches": f.text_matches,
        }

    if FACET_CACHE_SECONDS <= 0:  # counted afresh on every request
        listing = compute()
    else:
        listing = cached(f"facets:{listing_key(index_page, f)}", compute)
    f.text_matches = listing["text_matches"]
    return listing


def cached_facet_counts(index_page, base: QuerySet, f: ProfileFilters) -> dict:
    return cached_listing(index_page, base, f)["counts"]


# --- The front page's figures ----------------------------------------------------

# Whom the network defends now: everyone not (yet) free or dead.
DEFENDED_NOW = (
    choices.Status.PRETRIAL,
    choices.Status.SENTENCED,
    choices.Status.HOUSE_ARREST,
    choices.Status.DISAPPEARED,
    choices.Status.WANTED_ABROAD,
)
# Held in custody: what "the longest-held" counts.
IN_CUSTODY = (choices.Status.PRETRIAL, choices.Status.SENTENCED)
FREED = (choices.Status.RELEASED, choices.Status.EXCHANGED)


@dataclass(frozen=True)
class RegisterFigures:
    """The register in numbers, for the front page, in one language's register."""

    defended_now: int
    released_this_year: int
    longest_held: object | None  # a PrisonerPage (its public title, a pseudonym too)
    longest_held_years: int


def whole_years_between(start, end) -> int:
    years = end.year - start.year
    return years - ((end.month, end.day) < (start.month, start.day))


def register_figures(*, locale, today) -> RegisterFigures:
    """Counts of live, public profiles in `locale` and the person held longest in
    custody. Two queries."""
    from home.site_cache import public
    from prisoners.models import PrisonerPage

    profiles = public(PrisonerPage.objects.live()).filter(locale=locale)
    counts = profiles.aggregate(
        defended=Count("pk", filter=Q(status__in=DEFENDED_NOW)),
        released=Count("pk", filter=Q(status__in=FREED, released_on__year=today.year)),
    )
    longest = (
        profiles.filter(status__in=IN_CUSTODY, detained_on__isnull=False)
        .select_related("locale")
        .defer("story", "case_summary", "assessment_summary", "name_search_keys")
        .order_by("detained_on", "title")
        .first()
    )
    return RegisterFigures(
        defended_now=counts["defended"],
        released_this_year=counts["released"],
        longest_held=longest,
        longest_held_years=(
            whole_years_between(longest.detained_on, today) if longest else 0
        ),
    )
