from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, path
from django.urls.resolvers import RoutePattern
from django.views.generic import RedirectView

from kezdesu.portal import views

app_name = "portal"

# The public portal carries its language in the address (/kk/…, /ru/…, /en/…): a page is the same for
# everybody who asks for that address, so it can be cached (docs/decisions/0080-language-in-the-address.md).
public_patterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/ask/", views.question_ask, name="ask"),
    path("meetings/<int:pk>/register/", views.register, name="register"),
    path("meetings/<int:pk>/register/sent/", views.register_sent, name="register-sent"),
    path("meetings/<int:pk>/questions/<int:question_pk>/support/", views.question_support, name="support"),
    path("meetings/<int:pk>/support/sent/", views.support_sent, name="support-sent"),
    path("support/<str:token>/", views.support_confirm, name="support-confirm"),
    path("follow/", views.follow, name="follow"),
    path("follow/sent/", views.follow_sent, name="follow-sent"),
    path("follow/<int:pk>/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("follow/<int:pk>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("registrations/", views.registration_find, name="registration-find"),
    path("registrations/<str:code>/", views.registration, name="registration"),
    path("registrations/<str:code>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("track/", views.track, name="track-form"),
    path("track/<str:code>/", views.track, name="track"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting-ics"),
    path("feeds/meetings.rss", views.meetings_rss, name="feed-meetings-rss"),
    path("feeds/meetings.atom", views.meetings_atom, name="feed-meetings-atom"),
    path("feeds/commitments.rss", views.commitments_rss, name="feed-commitments-rss"),
    path("feeds/commitments.atom", views.commitments_atom, name="feed-commitments-atom"),
    path("ical/all.ics", views.ical_all, name="ical-all"),
    path("ical/region/<slug:slug>.ics", views.ical_region, name="ical-region"),
    path("ical/body/<slug:slug>.ics", views.ical_body, name="ical-body"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<slug:dataset>.<slug:fmt>", views.open_data_file, name="open-data-file"),
]

# The moderation queue moved to the staff area; old bookmarks still reach it.
staff_patterns = [
    path("moderation/", RedirectView.as_view(pattern_name="questions:moderation", permanent=True)),
]

# Both halves stay in the one `portal` namespace. `include()` refuses i18n_patterns directly, hence the
# empty route around them; the locale middleware reads the language from the path itself.
urlpatterns = [*staff_patterns, URLResolver(RoutePattern(""), i18n_patterns(*public_patterns))]
