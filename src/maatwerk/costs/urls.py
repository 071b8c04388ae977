from django.urls import path

from . import views

app_name = "costs"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("nieuw/", views.new_item, name="new_item"),
    path("rekenhulp/", views.calculator, name="calculator"),
    path("rekenhulp/zoeken/", views.calculator_search, name="calculator_search"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/prijs/", views.add_price, name="add_price"),
    path("<int:pk>/intrekken/", views.retire, name="retire"),
]
