"""The letter-writing month: people whose birthday falls in a month and who can be
written to now, and whether a profile may offer a printable letter sheet.

A letter needs a public address (the "letters" part shown, with its consent) that
was verified recently (`LETTERS_ADDRESS_MAX_AGE_MONTHS`) and letters that are not
blocked; the month list also needs a public birthday (day and month, the
"birthday" part with its own consent). Birth year alone never puts anyone on it.
"""

import calendar
import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.dates import MONTHS

from prisoners.visibility import CONSENT_FOR_GROUP, hidden_lookup


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day when
    that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def oldest_verification(today: datetime.date) -> datetime.date:
    return months_before(today, settings.LETTERS_ADDRESS_MAX_AGE_MONTHS)


def _shown(group: str) -> Q:
    """What `visibility.public_groups` decides for one part, in SQL."""
    condition = ~Q(hidden_fields__contains=hidden_lookup(group))
    if group in CONSENT_FOR_GROUP:
        condition &= Q(**{CONSENT_FOR_GROUP[group]: True})
    return condition


def writable_q(today: datetime.date) -> Q:
    """Profiles that can be written to today."""
    return (
        _shown("letters")
        & ~Q(letter_address="")
        & Q(letters_blocked=False)
        & Q(letter_address_verified_on__gte=oldest_verification(today))
        & Q(letter_address_verified_on__lte=today)
    )


def letter_month_people(*, locale, month: int, today: datetime.date) -> list:
    """Live, public profiles in `locale` whose public birthday falls in `month` and
    who can be written to today, by day of the month. One query."""
    from prisoners.models import PrisonerPage

    return list(
        PrisonerPage.objects.live()
        .public()
        .filter(locale=locale, birth_month=month, birth_day__isnull=False)
        .filter(_shown("birthday"), writable_q(today))
        .select_related("locale")
        .defer_streamfields()
        .defer("story", "case_summary", "assessment_summary", "name_search_keys")
        .order_by("birth_day", "title")
    )


def has_letter_sheet(page, today: datetime.date | None = None) -> bool:
    """Whether the profile may offer a printable letter sheet today: the same rule
    as `writable_q`, for one page already loaded."""
    today = today or timezone.localdate()
    verified = page.letter_address_verified_on
    return bool(
        page.shows("letters")
        and page.letter_address
        and not page.letters_blocked
        and verified
        and oldest_verification(today) <= verified <= today
    )


def birthday_label(month: int, day: int) -> str:
    """ "7 December", "7 грудня": day and month in the current language, the month
    in the form that follows a day (genitive in Ukrainian, Russian, Belarusian)."""
    pattern = formats.get_format("MONTH_DAY_FORMAT")
    pattern = pattern.replace("d", "j").replace("F", "E")
    # 2000 is a leap year: 29 February exists.
    return formats.date_format(datetime.date(2000, month, day), pattern)


def month_name(month: int) -> str:
    """The month on its own ("December", "грудень"), for headings."""
    return str(MONTHS[month])
