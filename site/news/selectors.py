"""Reading the news for the public. Everything starts from `public_articles()`:
live articles outside any private section, so a draft or a restricted article
never reaches a list, a search result, a feed, the sitemap or the API. Tagged
profiles, campaigns and members are shown only while they are public themselves."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from wagtail.models import Locale

from home.site_cache import public
from network.models import Member

from .choices import ArticleKind
from .models import ArticleCampaign, ArticlePage, ArticlePerson, NewsIndexPage

MAX_TEXT_MATCHES = 500


def public_articles(*, locale: Locale | None = None) -> QuerySet:
    """Live, public articles (of `locale` when given), newest first."""
    articles = public(ArticlePage.objects.live())
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles.order_by("-date", "-first_published_at", "-pk")


def for_cards(articles: QuerySet) -> QuerySet:
    """What a news card shows, fetched with the articles rather than once each."""
    return (
        articles.defer_streamfields()
        .select_related("image", "author_member", "locale")
        .prefetch_related("image__renditions")
    )


def latest_news(*, locale: Locale, limit: int = 3) -> list[ArticlePage]:
    """The newest live, public articles in `locale`, for the front page."""
    return list(for_cards(public_articles(locale=locale))[:limit])


def _profile_model():
    from prisoners.models import PrisonerPage

    return PrisonerPage


def _campaign_model():
    from campaigns.models import CampaignPage

    return CampaignPage


def related_news(*, page, limit: int = 3) -> list[ArticlePage]:
    """The newest live, public articles in the page's language tagged with this
    profile or campaign (in any of its languages). One query."""
    if isinstance(page, _profile_model()):
        tagged = ArticlePerson.objects.filter(
            person__translation_key=page.translation_key
        ).values("article_id")
    elif isinstance(page, _campaign_model()):
        tagged = ArticleCampaign.objects.filter(
            campaign__translation_key=page.translation_key
        ).values("article_id")
    else:
        return []
    articles = public_articles(locale=page.locale).filter(pk__in=tagged)
    return list(for_cards(articles)[:limit])


def member_news(*, member: Member, locale: Locale, limit: int = 3) -> list:
    """The newest live, public articles in `locale` about a public member."""
    if not member.shown_publicly:
        return []
    articles = public_articles(locale=locale).filter(members=member)
    return list(for_cards(articles)[:limit])


def news_index(*, locale: Locale) -> NewsIndexPage | None:
    return public(NewsIndexPage.objects.live()).filter(locale=locale).first()


@dataclass(frozen=True)
class ArticleTags:
    people: list
    campaigns: list
    members: list  # public Members

    def __bool__(self) -> bool:
        return bool(self.people or self.campaigns or self.members)


def _live_in_locale(model, ids: list[int], locale: Locale) -> list:
    """The live, public pages in `locale` that are translations of pages `ids`."""
    if not ids:
        return []
    keys = model.objects.filter(pk__in=ids).values("translation_key")
    return list(
        public(model.objects.live())
        .filter(locale=locale, translation_key__in=keys)
        .defer_streamfields()
        .order_by("title")
    )


def article_tags(*, article: ArticlePage) -> ArticleTags:
    """What the article is tagged with that the public may follow. A profile under
    a pseudonym appears under its public title (the title) and nothing else."""
    # Read from the article's own rows, which also holds an unsaved preview's tags.
    person_ids = [tag.person_id for tag in article.person_tags.all()]
    campaign_ids = [tag.campaign_id for tag in article.campaign_tags.all()]
    return ArticleTags(
        people=_live_in_locale(_profile_model(), person_ids, article.locale),
        campaigns=_live_in_locale(_campaign_model(), campaign_ids, article.locale),
        members=sorted(
            (m for m in article.members.all() if m.shown_publicly),
            key=lambda m: m.name,
        ),
    )


# --- The news list and its filters ----------------------------------------------------


@dataclass
class NewsFilters:
    """What a visitor asked for on the news list; unknown values are dropped, so the
    list never tells a hidden profile's or member's address from a made-up one."""

    q: str = ""
    kind: str = ""
    person: str = ""
    campaign: str = ""
    member: str = ""
    year: int | None = None
    text_matches: tuple[int, ...] = ()

    @classmethod
    def from_query(cls, params, *, locale: Locale) -> "NewsFilters":
        f = cls(q=params.get("q", "").strip()[:100])
        kind = params.get("kind", "")
        f.kind = kind if kind in ArticleKind.values else ""
        year = params.get("year", "")
        f.year = int(year) if year.isdigit() and 1900 < int(year) < 2200 else None
        f.person = _public_slug(_profile_model(), params.get("person", ""), locale)
        f.campaign = _public_slug(_campaign_model(), params.get("campaign", ""), locale)
        member = params.get("member", "").strip()[:80]
        known = member and Member.objects.public().filter(slug=member).exists()
        f.member = member if known else ""
        if f.q:
            f.text_matches = _text_matches(f.q, locale)
        return f

    def as_query(self, **overrides) -> dict:
        values = {
            "q": self.q,
            "kind": self.kind,
            "person": self.person,
            "campaign": self.campaign,
            "member": self.member,
            "year": self.year or "",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v}


def _public_slug(model, slug: str, locale: Locale) -> str:
    slug = slug.strip()[:80]
    if not slug:
        return ""
    found = public(model.objects.live()).filter(locale=locale, slug=slug).exists()
    return slug if found else ""


def _text_matches(text: str, locale: Locale) -> tuple[int, ...]:
    """Articles whose text matches, from Wagtail's search index, this language only."""
    results = (
        public(ArticlePage.objects.live())
        .filter(locale=locale)
        .only("pk")
        .search(text, operator="and")
    )
    return tuple(page.pk for page in results[:MAX_TEXT_MATCHES])


def filter_articles(articles: QuerySet, f: NewsFilters) -> QuerySet:
    if f.q:
        articles = articles.filter(pk__in=f.text_matches)
    if f.kind:
        articles = articles.filter(kind=f.kind)
    if f.year:
        articles = articles.filter(date__year=f.year)
    if f.person:
        keys = _profile_model().objects.filter(slug=f.person).values("translation_key")
        articles = articles.filter(
            pk__in=ArticlePerson.objects.filter(
                person__translation_key__in=keys
            ).values("article_id")
        )
    if f.campaign:
        keys = (
            _campaign_model().objects.filter(slug=f.campaign).values("translation_key")
        )
        articles = articles.filter(
            pk__in=ArticleCampaign.objects.filter(
                campaign__translation_key__in=keys
            ).values("article_id")
        )
    if f.member:
        articles = articles.filter(
            members__in=Member.objects.public().filter(slug=f.member)
        )
    return for_cards(articles)


def news_filter_options(articles: QuerySet, *, locale: Locale) -> dict:
    """The choices the filters offer: only what some listed article has, each with
    how many articles have it; tagged people and campaigns only while public."""
    ids = articles.order_by().values("pk")
    plain = articles.order_by()
    kinds = dict(ArticleKind.choices)
    tagged_people = ArticlePerson.objects.filter(article__in=ids).values(
        "person__translation_key"
    )
    tagged_campaigns = ArticleCampaign.objects.filter(article__in=ids).values(
        "campaign__translation_key"
    )
    return {
        "kinds": [
            (row["kind"], kinds.get(row["kind"], row["kind"]), row["n"])
            for row in plain.values("kind").annotate(n=Count("pk")).order_by("kind")
        ],
        "years": [
            (row["year"], row["n"])
            for row in plain.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        ],
        "people": list(
            public(_profile_model().objects.live())
            .filter(locale=locale, translation_key__in=tagged_people)
            .order_by("title")
            .values_list("slug", "title")
        ),
        "campaigns": list(
            public(_campaign_model().objects.live())
            .filter(locale=locale, translation_key__in=tagged_campaigns)
            .order_by("title")
            .values_list("slug", "title")
        ),
        "members": list(
            Member.objects.public()
            .filter(news_articles__in=ids)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    }
