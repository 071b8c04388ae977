from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("team/", views.team_cases, name="team"),
    path("nieuw/", views.new_case, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/notitie/", views.add_note, name="add_note"),
    path("<int:pk>/knelpunt/", views.add_obstacle, name="add_obstacle"),
    path("<int:pk>/bewerken/", views.edit_case, name="edit"),
    path("<int:pk>/toewijzen/", views.assign_case, name="assign"),
    path("<int:pk>/sluiten/", views.close_case, name="close"),
    path("<int:pk>/heropenen/", views.reopen_case, name="reopen"),
]
