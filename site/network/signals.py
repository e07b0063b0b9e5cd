"""Keep member groups' page rights in step with new pages. A new language version
of a profile, or a campaign published with new people, changes which pages a
member works on; the rights are Wagtail rows and must follow at once."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published


def _sync_later():
    from .access import sync_all_member_access

    transaction.on_commit(sync_all_member_access)


@receiver(post_save)
def new_page_of_a_case(sender, instance, created, raw=False, **kwargs):
    from wagtail.models import Page

    if raw or not created or not isinstance(instance, Page):
        return
    if instance._meta.label_lower in (
        "prisoners.prisonerpage",
        "campaigns.campaignpage",
        "campaigns.statementpage",
        "prisoners.prisonerindexpage",
        "campaigns.campaignindexpage",
        "campaigns.statementindexpage",
    ):
        _sync_later()


@receiver(page_published)
def campaign_published(sender, instance, **kwargs):
    if instance._meta.label_lower == "campaigns.campaignpage":
        _sync_later()
