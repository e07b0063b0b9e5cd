from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

OTHER_LANGUAGE = "other"


class EventKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    WEBINAR = "webinar", _("Webinar")
    LETTER_EVENING = "letter_evening", _("Letter-writing evening")
    OTHER = "other", _("Other event")


def event_languages() -> list[tuple[str, str]]:
    """The site's languages, then "another language": read when the form is built,
    so a language switched on later needs no migration."""
    return [*settings.LANGUAGES, (OTHER_LANGUAGE, _("Another language"))]
