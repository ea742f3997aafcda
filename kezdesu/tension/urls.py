from django.urls import path

from kezdesu.tension import views

app_name = "tension"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/appeals/", views.alert_appeals, name="appeals"),
    path("alerts/<int:pk>/review/", views.alert_review, name="review"),
    path("scan/", views.scan, name="scan"),
    path("scan/<int:pk>/", views.scan_job, name="scan-job"),
    path("import/", views.upload, name="upload"),
    path("import/template.csv", views.import_template, name="template"),
    path("import/<int:pk>/", views.batch, name="batch"),
    path("import/<int:pk>/rejected.csv", views.batch_rejected, name="rejected"),
]
