"""Signatures are not pages or snippets, so the page cache's own signals miss them.
A moderator approving an organisation, removing a spam signature or editing a name
must change the cached statement pages at once.

A confirmation does not purge: during a campaign's busiest hour that would empty
the whole site's cache with every signature. The count and the list catch up
within PAGE_CACHE_SECONDS, and the confirmation page shows the new count at once.
New signatures wait for confirmation and show nowhere yet; a member's co-signature
counts at once and purges.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns.choices import SignatureStatus
from campaigns.models import Signature
from solidarity.page_cache import purge_public_pages

CONFIRMATION = frozenset({"status", "confirmed_at"})


@receiver(post_save, sender=Signature, dispatch_uid="campaigns-signature-saved")
def purge_after_moderation(sender, instance, created, update_fields, raw, **kwargs):
    if raw or (update_fields and set(update_fields) <= CONFIRMATION):
        return
    if created and instance.status == SignatureStatus.PENDING:
        return
    purge_public_pages()


@receiver(post_delete, sender=Signature, dispatch_uid="campaigns-signature-deleted")
def purge_after_deletion(sender, instance, **kwargs):
    if instance.status != SignatureStatus.PENDING:
        purge_public_pages()
