"""Health endpoints at the site root, where probes expect them."""

from __future__ import annotations

from django.urls import path

from ops import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
