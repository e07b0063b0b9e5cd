from django.urls import include, path

app_name = "donations"

urlpatterns = [
    path("", include("donations.urls_donate")),
    path("", include("donations.urls_manage")),
]
