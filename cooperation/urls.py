"""Public pages of the core domain, under the `cooperation` namespace."""

from django.urls import path

from cooperation import views

app_name = "cooperation"


urlpatterns = [
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("mechanisms/", views.MechanismListView.as_view(), name="mechanism-list"),
    path("mechanisms/<slug:slug>/", views.MechanismDetailView.as_view(), name="mechanism-detail"),
    path("challenges/", views.ChallengeListView.as_view(), name="challenge-list"),
    path("challenges/<slug:slug>/", views.ChallengeDetailView.as_view(), name="challenge-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
