"""Donors' own pages, under /<lang>/donate/: through the signed link from a receipt
(manage/<token>/...) or signed in (my-gifts/...), with the same views."""

from django.urls import path

from donations.donors import views
from donations.donors.annual import views as annual_views


def _donor_pages(prefix: str, name: str) -> list:
    return [
        path(prefix, views.gifts, name=name),
        path(
            f"{prefix}receipt/<uuid:public_id>/",
            views.receipt,
            name=f"{name}_receipt",
        ),
        path(
            f"{prefix}monthly/<int:pk>/amount/",
            views.change_amount,
            name=f"{name}_amount",
        ),
        path(f"{prefix}monthly/<int:pk>/cancel/", views.cancel, name=f"{name}_cancel"),
        path(f"{prefix}monthly/<int:pk>/card/", views.update_card, name=f"{name}_card"),
        path(f"{prefix}my-data.json", views.export, name=f"{name}_export"),
        path(f"{prefix}erase/", views.erase, name=f"{name}_erase"),
        path(f"{prefix}annual/", annual_views.annual, name=f"{name}_annual"),
        path(
            f"{prefix}annual/<int:year>/",
            annual_views.annual,
            name=f"{name}_annual_year",
        ),
        path(
            f"{prefix}annual/<int:year>/receipt.pdf",
            annual_views.annual_pdf,
            name=f"{name}_annual_pdf",
        ),
    ]


urlpatterns = [
    path("manage/", views.request_link, name="manage_request"),
    *_donor_pages("manage/<str:token>/", "manage"),
    *_donor_pages("my-gifts/", "my_gifts"),
]
