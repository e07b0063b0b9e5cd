"""/api/v2/news/: live, public articles for partners' mirrors, with the public
fields the article page shows; tags only to public profiles, campaigns and members.

Registered on Wagtail's API router (prisoners.api) next to the pages endpoint."""

from django.http import Http404
from django.urls import path
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from .models import ArticlePage
from .selectors import article_tags, for_cards, public_articles

MAX_LIMIT = 50


def _body(article: ArticlePage) -> list[dict]:
    blocks = []
    for block in article.body:
        if block.block_type == "paragraph":
            blocks.append(
                {"type": "paragraph", "html": expand_db_html(block.value.source)}
            )
        elif block.block_type == "quote":
            blocks.append(
                {
                    "type": "quote",
                    "text": block.value["text"],
                    "source": block.value["source"],
                }
            )
        # Images are left out: there is no public images endpoint (see prisoners.api).
    return blocks


def article_data(article: ArticlePage, request=None, *, detail=False) -> dict:
    data = {
        "id": article.pk,
        "title": article.title,
        "kind": article.kind,
        "date": article.date.isoformat(),
        "summary": article.summary,
        "author": article.author_line or None,
        "locale": article.locale.language_code,
        "url": article.get_full_url(request),
    }
    if detail:
        tags = article_tags(article=article)
        data["body"] = _body(article)
        data["people"] = [
            {"name": p.title, "url": p.get_full_url(request)} for p in tags.people
        ]
        data["campaigns"] = [
            {"title": c.title, "url": c.get_full_url(request)} for c in tags.campaigns
        ]
        data["organisations"] = [m.slug for m in tags.members]
    return data


class _NewsView(APIView):
    renderer_classes = [JSONRenderer]
    # Anonymous and read-only, as the pages endpoint.
    authentication_classes = []
    permission_classes = []


def _int(value, default: int) -> int:
    return int(value) if str(value).isdigit() else default


class NewsListing(_NewsView):
    def get(self, request):
        articles = public_articles()
        code = request.GET.get("locale", "")
        if code:
            locale = Locale.objects.filter(language_code=code).first()
            articles = articles.filter(locale=locale) if locale else articles.none()
        offset = _int(request.GET.get("offset"), 0)
        limit = min(_int(request.GET.get("limit"), 20), MAX_LIMIT)
        total = articles.count()
        page = for_cards(articles)[offset : offset + limit]
        items = [article_data(a, request) for a in page]
        return Response({"meta": {"total_count": total}, "items": items})


class NewsDetail(_NewsView):
    def get(self, request, pk):
        article = public_articles().filter(pk=pk).select_related("locale").first()
        if article is None:
            raise Http404
        return Response(article_data(article, request, detail=True))


class NewsAPIEndpoint:
    model = ArticlePage

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", NewsListing.as_view(), name="listing"),
            path("<int:pk>/", NewsDetail.as_view(), name="detail"),
        ]
