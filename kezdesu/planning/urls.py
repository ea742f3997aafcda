from django.urls import path

from kezdesu.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/action/", views.plan_action, name="action"),
]
