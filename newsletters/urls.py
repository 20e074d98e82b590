"""Public URLs of the contest-vote reminders, under /newsletter/rappel/."""

from __future__ import annotations

from django.urls import path

from .reminders import views as reminders

app_name = "newsletters"

urlpatterns = [
    path("rappel/<id:contest_id>/", reminders.remind_me, name="reminder_signup"),
    path("rappel/<id:contest_id>/merci/", reminders.thanks, name="reminder_thanks"),
    path("rappel/confirmer/<str:token>/", reminders.confirm, name="reminder_confirm"),
    path("rappel/arreter/<str:token>/", reminders.opt_out, name="reminder_opt_out"),
]
