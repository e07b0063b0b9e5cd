from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import (
    DEMO_MEMBER_STAFF,
    DEMO_PASSWORD,
    DEMO_STAFF,
    DEMO_TRIAGE_STAFF,
    load_demo_staff,
)
from campaigns.demo import load_campaigns
from donations.demo import load_donations
from donations.spending.demo import load_spending
from events.demo import load_events
from guides.demo import load_guides
from home.demo import (
    load_footer_and_settings,
    load_home_bodies,
    load_home_pages,
    show_sections_in_menus,
)
from intake.demo import DEMO_PASSPHRASE, load_intake
from network.demo import load_network
from news.demo import load_news
from prisoners.demo import load_prisoners


class Command(BaseCommand):
    help = (
        "Load fictional demo content and demo staff accounts. Idempotent: running it "
        "again changes nothing that is already there. Refuses to run with DEBUG off, "
        "so that demo accounts never exist in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="Don't print sign-in help."
        )

    def handle(self, *args, quiet_accounts=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo_data creates demo accounts with published passwords; it "
                "only runs with DEBUG on (development settings)."
            )
        with transaction.atomic():
            homes = load_home_pages()
            load_footer_and_settings()
            prisoner_indexes = load_prisoners(homes)
            campaigns = load_campaigns(homes)
            gifts = load_donations(homes)["donations"]
            # The spending is drafted and approved by the two demo Board members.
            created = load_demo_staff()
            # Before the spending, which may pay members for the cases they handle.
            network = load_network(homes)
            # Before the menus, so that the news list goes in the header too.
            load_news(homes)
            load_guides(homes)
            # After the news, whose articles are the past events' reports.
            events = load_events(homes)
            # Last of the sections: the network page too goes in the header.
            show_sections_in_menus(homes)
            spending = load_spending()
            intake = load_intake()
            # Last: the front page shows what every other section has loaded.
            load_home_bodies(homes)
        profiles = prisoner_indexes["uk"].profiles().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: home pages in {', '.join(sorted(homes))}; "
                f"{profiles} fictional prisoner profiles in each language; "
                f"{campaigns['campaigns']} campaigns and {campaigns['statements']} "
                f"joint statements in each language ({campaigns['signatures']} "
                f"signatures); {gifts} demo gifts; budgets for {spending['budgets']} "
                f"cases, {spending['allocations']} allocations and "
                f"{spending['disbursements']} payments ({spending['pending']} "
                f"awaiting approval); {network['members']} member organisations "
                f"({network['members'] - network['public_members']} not public) "
                f"handling {network['cases']} cases between them; "
                f"{intake['reports']} reports of persecution to triage; "
                f"{events['events']} events in each language; "
                f"{len(created) + len(network['staff']) + len(intake['staff'])} new "
                "staff accounts."
            )
        )
        if not quiet_accounts:
            self.stdout.write(f"Demo staff (password for all: {DEMO_PASSWORD}):")
            for email, group, secret in DEMO_STAFF:
                self.stdout.write(
                    f"  {email:29} {group or 'superuser':30} TOTP {secret}"
                )
            for email, member, kind, secret in DEMO_MEMBER_STAFF:
                self.stdout.write(f"  {email:29} {f'{member} {kind}':30} TOTP {secret}")
            for email, _group, secret in DEMO_TRIAGE_STAFF:
                self.stdout.write(
                    f"  {email:29} {'triage of reports':30} TOTP {secret}"
                )
            self.stdout.write(
                f"Readers of reports unlock their key with: {DEMO_PASSPHRASE}"
            )
