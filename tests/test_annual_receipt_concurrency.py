"""Two Board members (or the admin and the command) sending the year's receipts at
the same moment: each donor is still emailed once, and recorded once."""

import pytest

from donations.donors.annual.services import annual_receipts_send
from donations.models import AnnualReceiptSent
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from tests.concurrency import at_once
from tests.test_annual_receipts import DONOR, OTHER, YEAR, at, gift

# serialized_rollback: without it, the flush after this test recreates content types
# and permissions, and the browser tests after it (which restore the database's
# serialised contents) fail on duplicates.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 4


def test_runs_racing_each_other_email_each_donor_once():
    gift(amount=5000, when=at(3, 5))
    gift(amount=2500, currency="USD", settled=2300, when=at(9, 9), email=OTHER)

    results, errors = at_once([lambda: annual_receipts_send(year=YEAR)] * THREADS)

    assert errors == []
    assert sum(result.sent for result in results) == 2
    assert sorted(
        outbox_open(message=m).to[0] for m in OutboxMessage.objects.all()
    ) == [DONOR, OTHER]
    assert AnnualReceiptSent.objects.filter(year=YEAR).count() == 2
