"""Public URLs of the reminders, under /newsletter/rappel/ (see config/urls.py)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("<id:contest_id>/", views.remind_me, name="signup"),
    path("<id:contest_id>/merci/", views.thanks, name="thanks"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("arreter/<str:token>/", views.opt_out, name="opt_out"),
]
