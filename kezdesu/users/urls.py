from django.urls import path

from kezdesu.users import views

app_name = "users"
urlpatterns = [
    path("2fa/setup/", views.enrol, name="2fa-enrol"),
    path("2fa/verify/", views.verify, name="2fa-verify"),
]
