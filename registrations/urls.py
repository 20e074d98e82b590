"""Public URLs of the registrations, under /inscriptions/ (see ``config.urls``)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("evenement/<int:event_id>/", views.register, name="register"),
    path("reponse/<str:token>/", views.result, name="result"),
    path("annuler/<str:token>/", views.cancel, name="cancel"),
]
