"""The site's WSGI application with ``/media/`` served (`make lighthouse`, `make screenshots`).

In production the reverse proxy serves the uploaded media (README, "Production") and gunicorn
never sees ``/media/``; these tools run gunicorn alone, so whitenoise stands in for the proxy.
``autorefresh``: an image rendition made after the start (a first visit) is found too.
"""

from __future__ import annotations

from whitenoise import WhiteNoise  # type: ignore[import-untyped]

from django.conf import settings

from config.wsgi import application as site

application = WhiteNoise(
    site, root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL, autorefresh=True, max_age=3600
)
