"""An event's time zone: an IANA name, checked against the zone database, and the
label visitors read next to the time ("Kyiv time (UTC+2)")."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_TIME_ZONE = "Europe/Kyiv"

# The zones the network's events are held in, with their names in the visitor's
# language; any other zone shows the city part of its IANA name.
ZONE_PLACES = {
    "Europe/Kyiv": gettext_lazy("Kyiv"),
    "Europe/Kiev": gettext_lazy("Kyiv"),
    "Europe/Vilnius": gettext_lazy("Vilnius"),
    "Europe/Warsaw": gettext_lazy("Warsaw"),
    "Europe/Riga": gettext_lazy("Riga"),
    "Europe/Tallinn": gettext_lazy("Tallinn"),
    "Europe/Berlin": gettext_lazy("Berlin"),
    "Europe/Prague": gettext_lazy("Prague"),
    "Europe/Minsk": gettext_lazy("Minsk"),
    "Europe/Simferopol": gettext_lazy("Simferopol"),
    "Europe/Istanbul": gettext_lazy("Istanbul"),
    "Europe/London": gettext_lazy("London"),
    "Europe/Brussels": gettext_lazy("Brussels"),
    "Europe/Paris": gettext_lazy("Paris"),
    "Europe/Tbilisi": gettext_lazy("Tbilisi"),
    "Asia/Tbilisi": gettext_lazy("Tbilisi"),
}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _(
                "%(zone)s is not a time zone name. Use a name from the time zone "
                "database, such as Europe/Kyiv or Europe/Vilnius."
            ),
            params={"zone": value},
            code="invalid_time_zone",
        )


def utc_offset(moment: datetime.datetime) -> str:
    """ "UTC+2", "UTC−3:30", "UTC" for an aware moment."""
    offset = moment.utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(moment: datetime.datetime, zone_name: str) -> str:
    """ "Kyiv time (UTC+2)" in the active language, for a moment in that zone."""
    if zone_name == "UTC":
        return "UTC"
    place = ZONE_PLACES.get(zone_name) or zone_name.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(place)s time (%(offset)s)") % {
        "place": place,
        "offset": utc_offset(moment),
    }
