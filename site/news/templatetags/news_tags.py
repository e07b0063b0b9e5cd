"""{% related_news page %}: the latest news about a profile, a campaign or (on a
member's page, `{% related_news member %}`) a member organisation."""

from django import template
from wagtail.models import Locale

from network.models import Member
from news import selectors

register = template.Library()


@register.inclusion_tag("news/includes/related_news.html", takes_context=True)
def related_news(context, subject, limit=3):
    page = context.get("page")
    if isinstance(subject, Member):
        locale = getattr(page, "locale", None) or Locale.get_active()
        articles = selectors.member_news(member=subject, locale=locale, limit=limit)
        filter_query = f"?member={subject.slug}"
    else:
        locale = subject.locale
        articles = selectors.related_news(page=subject, limit=limit)
        param = "person" if subject._meta.model_name == "prisonerpage" else "campaign"
        filter_query = f"?{param}={subject.slug}"
    index = selectors.news_index(locale=locale) if articles else None
    return {
        "request": context.get("request"),
        "articles": articles,
        "more_url": f"{index.get_url(context.get('request'))}{filter_query}"
        if index
        else "",
    }


@register.simple_tag
def news_page_url(filters, number) -> str:
    """The list's address for page `number`, keeping the visitor's filters."""
    from django.utils.http import urlencode

    return "?" + urlencode(filters.as_query(page=number))
