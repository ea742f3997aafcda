from django.urls import path

from kezdesu.tension import views

app_name = "tension"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("scan/", views.scan, name="scan"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.batch, name="batch"),
]
