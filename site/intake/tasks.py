"""Triage's daily count and the retention run. Neither carries any report
content: the count email says how many, and where to look."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from outbox.codec import template_header

from .models import Recipient
from .selectors import waiting_count
from .services import destroy_expired_reports

logger = logging.getLogger(__name__)


def _language(user) -> str:
    from donations.stripe.reconciliation import member_language

    return member_language(user)


@shared_task
def send_triage_count() -> int:
    """Daily: one email to each reader with reports waiting for them."""
    sent = 0
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("intake_index")
    for recipient in Recipient.objects.filter(
        public_key__isnull=False, user__is_active=True
    ).select_related("user"):
        count = waiting_count(recipient=recipient)
        if not count or not recipient.user.email:
            continue
        with translation.override(_language(recipient.user)):
            context = {"count": count, "url": url}
            message = EmailMessage(
                subject=" ".join(
                    render_to_string("intake/email/count_subject.txt", context).split()
                ),
                body=render_to_string("intake/email/count.txt", context),
                to=[recipient.user.email],
                headers=template_header("intake/email/count"),
            )
            sent += message.send()
    logger.info("intake: daily count sent to %s readers", sent)
    return sent


@shared_task
def destroy_expired() -> int:
    destroyed = destroy_expired_reports(
        today=timezone.localdate(), retention_days=settings.INTAKE_RETENTION_DAYS
    )
    logger.info("intake: %s reports destroyed", destroyed)
    return destroyed
