from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin


class CampaignTheme(TranslatableMixin, models.Model):
    """What a campaign is about (INTERPOL abuse, Crimean Tatars, journalists, ...)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in filter links; same in all languages."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("campaign theme")
        verbose_name_plural = _("campaign themes")
        ordering = ["name"]

    def __str__(self):
        return self.name
