from django.urls import path

from kezdesu.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/transition/", views.meeting_transition, name="transition"),
    path("<int:pk>/support/<int:item_id>/", views.support_toggle, name="support"),
    path("<int:pk>/support/<int:item_id>/owner/", views.support_assign, name="support-owner"),
    path("<int:pk>/results/", views.results_save, name="results"),
    path("<int:pk>/questions/", views.question_add, name="question-add"),
    path("<int:pk>/commitments/", views.commitment_add, name="commitment-add"),
    path("<int:pk>/commitments/<int:commitment_id>/", views.commitment_progress, name="commitment-progress"),
]
