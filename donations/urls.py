from django.urls import include, path

app_name = "donations"

urlpatterns = [
    path("", include("donations.giving.urls")),
    path("", include("donations.donors.urls")),
]
