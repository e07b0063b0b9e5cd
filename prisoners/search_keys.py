"""Recomputing the stored name keys of every profile after the folding rules in
prisoners/transliteration.py change, so that old rows match new queries."""

from django.db import transaction


def recompute_name_search_keys() -> int:
    """Bring every PrisonerPage's `name_search_keys` up to date; return how many
    rows changed.

    Each row is written with queryset.update(): a derived search column is not an
    edit, so no revision is made, no publish or save signal fires, and nothing a
    moderator would review changes; the public page cache is purged instead. Drafts
    are included, since they are searched in the admin and published later without
    necessarily being saved again.
    """
    from prisoners.models import PrisonerPage
    from solidarity.page_cache import purge_public_pages

    changed = 0
    profiles = (
        PrisonerPage.objects.only("pk", "title", "name_search_keys")
        .prefetch_related("spellings")
        .order_by("pk")
    )
    with transaction.atomic():
        for profile in profiles.iterator(chunk_size=500):
            keys = profile.compute_name_search_keys()
            if keys != profile.name_search_keys:
                PrisonerPage.objects.filter(pk=profile.pk).update(name_search_keys=keys)
                changed += 1
        if changed:
            # update() fires none of the signals that purge the page cache, and
            # cached register searches would otherwise keep the old matches.
            purge_public_pages()
    return changed
