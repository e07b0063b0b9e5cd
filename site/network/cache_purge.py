"""Members are not pages or snippets, so the page cache's own signals miss them:
making a member non-public, ending it or changing who handles a case must drop
every cached page at once (the network page, profiles, statements that name it)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from solidarity.page_cache import purge_public_pages

from .models import CaseHandling, Member


@receiver(post_save, sender=Member, dispatch_uid="network-member-saved")
@receiver(post_delete, sender=Member, dispatch_uid="network-member-deleted")
@receiver(post_save, sender=CaseHandling, dispatch_uid="network-handling-saved")
@receiver(post_delete, sender=CaseHandling, dispatch_uid="network-handling-deleted")
def purge_pages_naming_members(sender, raw=False, **kwargs):
    if not raw:
        purge_public_pages()
