from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from intake.services import destroy_expired_reports


class Command(BaseCommand):
    help = "Destroy reports past their retention (also run nightly by Celery beat)."

    def handle(self, *args, **options):
        destroyed = destroy_expired_reports(
            today=timezone.localdate(), retention_days=settings.INTAKE_RETENTION_DAYS
        )
        self.stdout.write(f"{destroyed} reports destroyed.")
