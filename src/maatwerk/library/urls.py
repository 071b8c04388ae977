from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.example_list, name="list"),
    path("beoordelen/", views.review_queue, name="review_queue"),
    path("voorstellen/<int:pk>/", views.example_propose, name="propose"),
    path("export.json", views.example_export, name="export"),
    path("importeren/", views.example_import, name="import"),
    path("<int:pk>/", views.example_detail, name="detail"),
    path("<int:pk>/bewerken/", views.example_edit, name="edit"),
    path("<int:pk>/beoordelen/", views.example_review, name="review"),
    path("<int:pk>/intrekken/", views.example_withdraw, name="withdraw"),
    # pk: the draft plan (the example is named in the POST, from the suggestions beside it).
    path("overnemen-in-plan/<int:pk>/", views.copy_structure, name="copy_structure"),
]
