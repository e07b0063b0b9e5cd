"""Editors can only build a sensible tree: home → prisoner list → profiles."""

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from prisoners.models import PrisonerIndexPage, PrisonerPage


class PrisonerPageTreeTests(WagtailPageTestCase):
    def test_the_prisoner_list_lives_under_a_home_page(self):
        self.assertAllowedParentPageTypes(PrisonerIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, PrisonerIndexPage)

    def test_profiles_live_only_in_the_prisoner_list(self):
        self.assertAllowedParentPageTypes(PrisonerPage, {PrisonerIndexPage})
        self.assertAllowedSubpageTypes(PrisonerIndexPage, {PrisonerPage})
        self.assertCanNotCreateAt(HomePage, PrisonerPage)

    def test_profiles_have_no_children(self):
        self.assertAllowedSubpageTypes(PrisonerPage, set())
