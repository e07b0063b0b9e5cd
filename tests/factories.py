"""Factories for tests: a prisoner index under a home page, and profiles in it."""

import datetime

import factory
import wagtail_factories

from prisoners import choices
from prisoners.models import CriminalArticle, PrisonerIndexPage, PrisonerPage, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class CriminalArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriminalArticle

    code = choices.ProsecutingAuthority.RUSSIA
    number = factory.Sequence(lambda n: f"{200 + n}")
    title = "Participation in a terrorist organisation"
    slug = factory.LazyAttribute(lambda a: f"russia-{a.number}")


class PrisonerIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PrisonerIndexPage

    title = "Political prisoners"
    slug = "prisoners"


class PrisonerPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PrisonerPage

    title = factory.Sequence(lambda n: f"Person {n}")
    status = choices.Status.SENTENCED
    detained_on = datetime.date(2022, 3, 1)
    consent_given_by = choices.ConsentGiver.FAMILY
    consent_given_on = datetime.date(2024, 1, 1)
    consent_name = True
    consent_photo = True
    consent_detention_place = True
    consent_relatives = True
    criminal_case_authority = choices.ProsecutingAuthority.RUSSIA


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "campaigns.CampaignIndexPage"

    title = "Campaigns"
    slug = "campaigns"


class CampaignPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "campaigns.CampaignPage"

    title = factory.Sequence(lambda n: f"Campaign {n}")
    summary = "Free them all."
    fundraising_goal = 5000


class StatementIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "campaigns.StatementIndexPage"

    title = "Statements"
    slug = "statements"


class StatementPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "campaigns.StatementPage"

    title = factory.Sequence(lambda n: f"Statement {n}")
    body = "<p>We, the undersigned, demand their release.</p>"
