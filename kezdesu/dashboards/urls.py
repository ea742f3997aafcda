from django.urls import path

from kezdesu.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("registry/", views.registry, name="registry"),
    path("audit/", views.audit, name="audit"),
    path("notifications/", views.notifications, name="notifications"),
    # Under /staff/meetings/ with the other meeting pages; here because it needs planning too.
    path("meetings/new/", views.meeting_new, name="meeting-new"),
]
