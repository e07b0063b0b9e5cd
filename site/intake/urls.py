from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.report_form, name="report"),
    path("check/", views.check_report, name="check"),
    path("challenge/", views.challenge_new, name="challenge"),
]
