"""Shared blocks refuse incomplete values with a French message the admin can show."""

from __future__ import annotations

import pytest

from wagtail import blocks

from core.blocks import CallToActionBlock
from home.blocks import SocialLinkBlock


@pytest.mark.parametrize(
    ("block", "value", "field", "message"),
    [
        (
            CallToActionBlock(),
            {"text": "En savoir plus", "page": None, "url": ""},
            "page",
            "Choisissez une page ou saisissez une adresse.",
        ),
        (
            SocialLinkBlock(),
            {"network": "other", "url": "https://exemple.org", "label": ""},
            "label",
            "Donnez un libellé à ce lien.",
        ),
    ],
)
def test_block__incomplete_value_gives_a_field_error_the_admin_can_render(
    block, value, field, message
) -> None:
    with pytest.raises(blocks.StructBlockValidationError) as caught:
        block.clean(block.to_python(value))
    # The admin serialises block errors to JSON; this must not raise.
    assert caught.value.as_json_data()["blockErrors"][field]["messages"] == [message]


def test_social_link__named_network_needs_no_label() -> None:
    block = SocialLinkBlock()
    value = block.clean(
        block.to_python({"network": "instagram", "url": "https://instagram.com/x", "label": ""})
    )
    assert value["network"] == "instagram"
