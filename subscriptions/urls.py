"""Public URLs of the subscriptions, under /newsletter/ (see ``config.urls``)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("merci/", views.thanks, name="thanks"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
