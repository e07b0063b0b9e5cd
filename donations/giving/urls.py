from django.urls import path

from donations.giving import views as views_donate

urlpatterns = [
    path("", views_donate.donate, name="donate"),
    path("challenge/", views_donate.challenge_new, name="challenge"),
    path("thanks/<uuid:public_id>/", views_donate.thanks, name="thanks"),
    path(
        "simulated/<uuid:public_id>/",
        views_donate.simulated_checkout,
        name="simulated",
    ),
]
