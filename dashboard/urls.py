from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("t/<slug:slug>/", views.tenant_overview, name="tenant"),
    path("t/<slug:slug>/mentions/", views.mention_list, name="mentions"),
    path("t/<slug:slug>/mentions/<int:mention_id>/", views.mention_detail, name="mention"),
]
