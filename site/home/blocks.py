"""The front page's blocks: editors choose and order them; what they show is read
live from the register, the money, the network and the news.

Each block reads its own data in `get_context`, with a fixed number of queries
however many items it shows (chosen pages are fetched again in one query, which
also drops drafts and restricted pages). Links to the sections (register,
campaigns, news, network) come from `home_sections`, read once per page.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _locale(parent_context):
    page = (parent_context or {}).get("page")
    return page.locale if page is not None else None


def _live_in_order(model, chosen, **related):
    """The chosen pages that are live and public now, in the editor's order."""
    ids = [page.pk for page in chosen if page is not None]
    if not ids:
        return []
    queryset = model.objects.live().public().filter(pk__in=ids)
    if related.get("select"):
        queryset = queryset.select_related(*related["select"])
    found = {page.pk: page for page in queryset}
    return [found[pk] for pk in ids if pk in found]


class CallToActionBlock(blocks.StructBlock):
    """A short appeal with one link, for the home page's sections."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link_page = blocks.PageChooserBlock(required=False)
    link_text = blocks.CharBlock(max_length=60, required=False)

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"


class FiguresBlock(blocks.StructBlock):
    """Live figures: people defended now, released this year, the longest-held,
    raised last month."""

    heading = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "table"
        label = _("Live figures")
        template = "blocks/figures_block.html"

    def get_context(self, value, parent_context=None):
        from donations.transparency.selectors import network_raised_last_month
        from prisoners.selectors import register_figures

        context = super().get_context(value, parent_context)
        today = timezone.localdate()
        locale = _locale(parent_context)
        context["register"] = (
            register_figures(locale=locale, today=today) if locale else None
        )
        context["raised"] = network_raised_last_month(today=today)
        context["register_index"] = _section(
            parent_context, "prisoners.PrisonerIndexPage"
        )
        return context


class FeaturedCampaignsBlock(blocks.StructBlock):
    """Campaigns the editors put forward; drafts and ended pages never show."""

    heading = blocks.CharBlock(max_length=120)
    campaigns = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="campaigns.CampaignPage"),
        label=_("campaigns"),
    )

    class Meta:
        icon = "pick"
        label = _("Featured campaigns")
        template = "blocks/featured_campaigns_block.html"

    def get_context(self, value, parent_context=None):
        from campaigns.models import CampaignPage

        context = super().get_context(value, parent_context)
        context["items"] = _live_in_order(
            CampaignPage, value["campaigns"], select=("theme", "hero_image")
        )
        context["more"] = _section(parent_context, "campaigns.CampaignIndexPage")
        return context


class FeaturedPeopleBlock(blocks.StructBlock):
    """People the editors put forward; only live, public profiles show."""

    heading = blocks.CharBlock(max_length=120)
    people = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="prisoners.PrisonerPage"),
        label=_("people"),
    )

    class Meta:
        icon = "user"
        label = _("Featured people")
        template = "blocks/featured_people_block.html"

    def get_context(self, value, parent_context=None):
        from prisoners.models import PrisonerPage

        context = super().get_context(value, parent_context)
        context["items"] = _live_in_order(
            PrisonerPage, value["people"], select=("home_region", "photo")
        )
        context["more"] = _section(parent_context, "prisoners.PrisonerIndexPage")
        return context


class LatestNewsBlock(blocks.StructBlock):
    """The newest articles of this language's news."""

    heading = blocks.CharBlock(max_length=120)
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)

    class Meta:
        icon = "doc-full"
        label = _("Latest news")
        template = "blocks/latest_news_block.html"

    def get_context(self, value, parent_context=None):
        from news.selectors import latest_news

        context = super().get_context(value, parent_context)
        locale = _locale(parent_context)
        context["items"] = (
            latest_news(locale=locale, limit=value["count"]) if locale else []
        )
        context["more"] = _section(parent_context, "news.NewsIndexPage")
        return context


class UpcomingEventsBlock(blocks.StructBlock):
    """The next events of this language; the block shows nothing, not even its
    heading, while none is coming."""

    heading = blocks.CharBlock(max_length=120)
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "blocks/upcoming_events.html"

    def get_context(self, value, parent_context=None):
        from events.selectors import upcoming_events

        context = super().get_context(value, parent_context)
        locale = _locale(parent_context)
        context["items"] = (
            upcoming_events(locale=locale, limit=value["count"]) if locale else []
        )
        context["more"] = _section(parent_context, "events.EventIndexPage")
        return context


class LetterMonthBlock(blocks.StructBlock):
    """A few people whose birthday is this month and who can be written to, and
    the link to the whole month's list."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=4)

    class Meta:
        icon = "mail"
        label = _("Write a letter this month")
        template = "blocks/letter_month_block.html"

    def get_context(self, value, parent_context=None):
        from prisoners.letters import birthday_label, letter_month_people

        context = super().get_context(value, parent_context)
        locale = _locale(parent_context)
        today = timezone.localdate()
        people = (
            letter_month_people(locale=locale, month=today.month, today=today)
            if locale
            else []
        )
        context["people"] = [
            (person, birthday_label(person.birth_month, person.birth_day))
            for person in people[: value["count"]]
        ]
        context["total"] = len(people)
        context["register_index"] = _section(
            parent_context, "prisoners.PrisonerIndexPage"
        )
        return context


class MembersBlock(blocks.StructBlock):
    """The network's public member organisations, each linking to its page."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)

    class Meta:
        icon = "group"
        label = _("Member organisations")
        template = "blocks/members_block.html"

    def get_context(self, value, parent_context=None):
        from network.selectors import public_members

        context = super().get_context(value, parent_context)
        index = _section(parent_context, "network.NetworkIndexPage")
        context["index"] = index
        context["members"] = list(public_members()) if index else []
        return context


class DonateBlock(blocks.StructBlock):
    """An appeal to give, with a button to the donation page."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button_text = blocks.CharBlock(max_length=60)

    class Meta:
        icon = "success"
        label = _("Donate call")
        template = "blocks/donate_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        try:
            context["donate_url"] = reverse("donations:donate")
        except NoReverseMatch:
            context["donate_url"] = ""
        return context


def _section(parent_context, model_label: str):
    """The live section of that type under the home page being shown, from the
    `home_sections` its context reads once (`HomePage.get_context`)."""
    sections = (parent_context or {}).get("home_sections") or {}
    return sections.get(model_label.lower())


class HomeBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    call_to_action = CallToActionBlock()
    figures = FiguresBlock()
    featured_campaigns = FeaturedCampaignsBlock()
    featured_people = FeaturedPeopleBlock()
    latest_news = LatestNewsBlock()
    upcoming_events = UpcomingEventsBlock()
    letter_month = LetterMonthBlock()
    members = MembersBlock()
    donate = DonateBlock()
