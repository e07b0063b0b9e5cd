from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Network statement")
    EVENT_REPORT = "event_report", _("Event report")
    ANALYSIS = "analysis", _("Analysis")
