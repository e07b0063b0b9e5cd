"""Factories for the network's members and the cases they handle."""

import datetime

import factory

from network.choices import Activity, CaseRole, WorkLanguage
from network.models import CaseHandling, Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Member Organisation {n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    country = "UA"
    activities = factory.LazyFunction(lambda: [Activity.DOCUMENTATION])
    work_languages = factory.LazyFunction(lambda: [WorkLanguage.UK, WorkLanguage.EN])
    description_en = "We document cases."
    joined_on = datetime.date(2023, 5, 1)
    is_public = True


class CaseHandlingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseHandling

    member = factory.SubFactory(MemberFactory)
    case_key = factory.LazyAttribute(lambda o: o.profile.translation_key)
    role = CaseRole.LEGAL_DEFENCE
    role_public = True

    class Params:
        profile = None
