from django.urls import path

from kezdesu.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.answer_list, name="answers"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("themes/", views.themes, name="themes"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/count/", views.moderation_count, name="moderation-count"),
    path("moderation/bulk/", views.moderation_bulk, name="moderate-bulk"),
    path("moderation/<int:pk>/publish/", views.moderation_publish, name="publish"),
    path("moderation/<int:pk>/reject/", views.moderation_reject, name="reject"),
]
