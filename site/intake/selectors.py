"""Counts triage sees; none of them touches a report's content."""

from django.db.models import Q

from .models import Recipient, Report, ReportState


def waiting_count(*, recipient: Recipient | None) -> int:
    """Reports sealed to `recipient` that are new, or where the reporter wrote
    since the network last looked."""
    if recipient is None or not recipient.has_key:
        return 0
    return (
        Report.objects.filter(envelopes__recipient=recipient)
        .filter(Q(state=ReportState.NEW) | Q(awaiting_network=True))
        .exclude(state__in=[ReportState.DECLINED, ReportState.REFERRED])
        .count()
    )
