"""Choices that repeat across profiles, managed by editors as snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from prisoners.choices import ProsecutingAuthority


class Region(TranslatableMixin, index.Indexed, models.Model):
    """A home region or country (Crimea, Kherson region, Belarus, ...)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in filter links; same in all languages."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CriminalArticle(TranslatableMixin, index.Indexed, models.Model):
    """An article of a criminal code used against people we defend."""

    code = models.CharField(
        _("code"), max_length=20, choices=ProsecutingAuthority.choices
    )
    number = models.CharField(
        _("article"), max_length=30, help_text=_("e.g. 205.5 part 2")
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in filter links, e.g. russia-205-5; same in all languages."),
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("slug"),
    ]
    search_fields = [index.SearchField("number"), index.SearchField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("criminal article")
        verbose_name_plural = _("criminal articles")
        ordering = ["code", "number"]

    def __str__(self):
        return f"{self.get_code_display()} {self.number} — {self.title}"


class DetentionPlace(TranslatableMixin, index.Indexed, models.Model):
    """A prison, colony or pre-trial detention centre, with its postal address."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    postal_address = models.TextField(_("postal address"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("region"), FieldPanel("postal_address")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("detention place")
        verbose_name_plural = _("detention places")
        ordering = ["name"]

    def __str__(self):
        return self.name
