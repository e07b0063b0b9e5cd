"""Where the statement page's forms post: outside the page tree, so that they can
be exempt from Django's CSRF token (see campaigns/views.py)."""

from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("challenge/", views.challenge_new, name="challenge"),
    path("<int:page_id>/", views.sign, name="sign"),
    path("<int:page_id>/resend/", views.resend, name="resend"),
]
