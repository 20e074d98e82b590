"""Factories for the tests, one module per app: the one way a test builds a page or a record.

Model imports sit on one line per app module, so that moving a model to another app changes
one line here.
"""

from __future__ import annotations

import factory


def reset_sequences() -> None:
    """Number what the factories build from 1 again, so that a test never depends on others."""
    pending = [factory.django.DjangoModelFactory]
    while pending:
        factory_class = pending.pop()
        pending.extend(factory_class.__subclasses__())
        if factory_class.__module__.startswith(__name__) and not factory_class._meta.abstract:
            factory_class.reset_sequence(force=True)
