"""Recompute the stored name keys of every profile after the transliteration rules
change:

manage.py recompute_search_keys
"""

from django.core.management.base import BaseCommand

from prisoners.search_keys import recompute_name_search_keys


class Command(BaseCommand):
    help = "Recompute the stored name search keys of every prisoner profile."

    def handle(self, *args, **options):
        changed = recompute_name_search_keys()
        self.stdout.write(f"Name search keys updated on {changed} profile(s).")
