"""The organiser's questions on an event's registration form, edited on the event page.

They are a StreamField of the event so that they go through the same revisions and workflow
as the rest of the page (a joint CMA training's questions still need the chamber). Each answer
is stored with the block's ``id`` and the question's label at the time of registration, so an
edited question never changes what someone already answered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

#: A registration form stays short: a few questions, not a survey.
MAX_QUESTIONS = 6


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("question"), max_length=150)
    required = blocks.BooleanBlock(label=_("réponse obligatoire"), required=False)
    help_text = blocks.CharBlock(label=_("aide"), max_length=200, required=False)


class TextQuestionBlock(QuestionBlock):
    class Meta:
        label = _("Texte court")
        icon = "pilcrow"


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("choix"), max_length=100), label=_("choix"), min_num=2
    )

    class Meta:
        label = _("Choix dans une liste")
        icon = "list-ul"


class YesNoQuestionBlock(QuestionBlock):
    class Meta:
        label = _("Oui / non")
        icon = "tick"


class RegistrationQuestionsBlock(blocks.StreamBlock):
    text = TextQuestionBlock()
    choice = ChoiceQuestionBlock()
    yes_no = YesNoQuestionBlock()

    class Meta:
        max_num = MAX_QUESTIONS
