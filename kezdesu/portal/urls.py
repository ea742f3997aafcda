from django.urls import path

from kezdesu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/ask/", views.question_ask, name="ask"),
    path("meetings/<int:pk>/register/", views.register, name="register"),
    path("meetings/<int:pk>/register/sent/", views.register_sent, name="register-sent"),
    path("registrations/", views.registration_find, name="registration-find"),
    path("registrations/<str:code>/", views.registration, name="registration"),
    path("registrations/<str:code>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("track/", views.track, name="track-form"),
    path("track/<str:code>/", views.track, name="track"),
    path("ical/all.ics", views.ical_all, name="ical-all"),
    path("ical/region/<slug:slug>.ics", views.ical_region, name="ical-region"),
    path("ical/body/<slug:slug>.ics", views.ical_body, name="ical-body"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<slug:dataset>.<slug:fmt>", views.open_data_file, name="open-data-file"),
]
