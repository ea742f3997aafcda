from django.urls import path

from kezdesu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("quarterly/<slug:body_slug>/<str:period>/", views.quarterly, name="quarterly"),
    path("quarterly/<slug:body_slug>/<str:period>/download", views.quarterly_download, name="quarterly-download"),
    path("half-year/<str:period>/", views.half_year, name="half-year"),
    path("half-year/<str:period>/download", views.half_year_download, name="half-year-download"),
    path("annex/<str:period>/", views.annex, name="annex"),
    path("annex/<str:period>/download", views.annex_download, name="annex-download"),
    path("procedure/", views.procedure_list, name="procedures"),
    path("procedure/new/", views.procedure_new, name="procedure-new"),
    path("procedure/<int:version>/", views.procedure_detail, name="procedure-detail"),
    path("procedure/<int:version>/acknowledge/", views.procedure_acknowledge, name="procedure-acknowledge"),
    path("procedure/<int:version>/download", views.procedure_download, name="procedure-download"),
    path("briefing/<int:pk>/", views.briefing, name="briefing"),
    path("briefing/<int:pk>/generate/", views.briefing_generate, name="briefing-generate"),
    path("briefing/<int:pk>/jobs/<int:job_pk>/", views.briefing_job, name="briefing-job"),
    path("briefing/<int:pk>/files/<int:pack_pk>", views.briefing_download, name="briefing-download"),
]
