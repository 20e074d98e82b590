"""``{% newsletter_signup_form %}``: the sign-up form anywhere on the site (footer, home)."""

from __future__ import annotations

from typing import Any

from django import template

from subscriptions.forms import SignupForm

register = template.Library()


@register.inclusion_tag("newsletters/includes/signup_form.html", takes_context=True)
def newsletter_signup_form(context: template.Context, id_prefix: str = "newsletter") -> dict:
    """Render an empty sign-up form; ``id_prefix`` keeps ids unique if two are on a page.

    The form carries no CSRF token (its view is exempt, see ``views.signup``), so the pages
    that show it can be cached and served to every visitor.
    """
    request = context.get("request")
    source = request.path if request is not None else ""
    form = SignupForm(initial={"source": source}, auto_id=f"{id_prefix}-%s", cached_choices=True)
    result: dict[str, Any] = {"form": form, "request": request}
    return result
