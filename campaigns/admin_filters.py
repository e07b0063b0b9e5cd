import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import Signature, StatementPage


def statement_choices():
    seen = {}
    for statement in StatementPage.objects.order_by("pk").only(
        "title", "translation_key"
    ):
        seen.setdefault(str(statement.translation_key), statement.title)
    return sorted(seen.items(), key=lambda item: item[1])


class SignatureFilterSet(WagtailFilterSet):
    statement_key = django_filters.ChoiceFilter(
        label=_("Statement"), choices=statement_choices
    )
    status = django_filters.ChoiceFilter(choices=SignatureStatus.choices)
    kind = django_filters.ChoiceFilter(choices=SignerKind.choices)
    approved = django_filters.BooleanFilter(label=_("Approved to show"))

    class Meta:
        model = Signature
        fields = ["statement_key", "status", "kind", "approved"]
