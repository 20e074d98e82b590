"""The email logo's drawing: the size the layout declares, twice over, and a name that fits."""

from __future__ import annotations

import pytest

from mailing.management.commands.draw_email_logo import LOGO_HEIGHT, LOGO_WIDTH, draw_logo


def test_draw_logo__is_twice_the_size_the_email_declares() -> None:
    logo = draw_logo("Le Carburateur")

    assert logo.size == (LOGO_WIDTH * 2, LOGO_HEIGHT * 2)
    assert logo.getpixel((LOGO_HEIGHT, LOGO_HEIGHT // 4)) == (143, 29, 22)  # the accent mark


def test_draw_logo__refuses_a_name_that_would_be_cut() -> None:
    with pytest.raises(ValueError, match="wider than the logo"):
        draw_logo("Le Carburateur, pôle entrepreneurial")
