"""Demo content of the news section, including the CMA president's visit (joint content).

Called by the site's ``load_demo`` command after the residents and programs demos, whose
pages the articles link to; like it, it only creates what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from wagtail.models import Page

from core.demo import DemoReport, ensure_image, ensure_page
from core.illustrations import Scene

from .models import RELATED_PAGE_TYPES, ArticlePage, ArticleRelatedPage, NewsIndexPage


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    days_ago: int
    tags: tuple[str, ...]
    text: str
    related_slugs: tuple[str, ...]
    joint_with_slug: str | None = None


ARTICLES = [
    DemoArticle(
        "visite-de-monique-cassar",
        "Monique Cassar, présidente de la CMA, en visite au Carburateur",
        3,
        ("CMA", "partenariat"),
        (
            "Monique Cassar, présidente de la délégation des Bouches-du-Rhône de la Chambre "
            "de métiers et de l'artisanat, a visité le Carburateur et rencontré ses résidents "
            "artisans, dont La Compagnie des Bocaux et Medinscop."
        ),
        ("cma", "la-compagnie-des-bocaux", "medinscop"),
        joint_with_slug="cma",
    ),
    DemoArticle(
        "la-compagnie-des-bocaux-leve-des-fonds",
        "La Compagnie des Bocaux prépare une levée de fonds",
        10,
        ("résidents", "financement"),
        (
            "Saïda et Thomas Palmieri préparent une levée de fonds, probablement avec "
            "Bpifrance ; le financement participatif est écarté. Leurs bocaux de fruits et "
            "légumes bio de Provence sont vendus en magasins bio, en épiceries fines et en ligne."
        ),
        ("la-compagnie-des-bocaux",),
    ),
    DemoArticle(
        "medinscop-recrute",
        "Medinscop cherche de bons professionnels du bâtiment",
        17,
        ("résidents", "bâtiment"),
        (
            "Maxime Larabi, de la coopérative Medinscop, cherche de bons professionnels du "
            "bâtiment pour rejoindre la coopérative d'activité et d'emploi."
        ),
        ("medinscop",),
    ),
    DemoArticle(
        "votez-pour-la-compagnie-des-bocaux",
        "Votez pour La Compagnie des Bocaux à La Fabrique Aviva",
        24,
        ("concours",),
        (
            "La Compagnie des Bocaux concourt à La Fabrique Aviva, qui soutient les projets "
            "utiles et innovants. Les votes sont ouverts jusqu'au 11 avril."
        ),
        ("la-compagnie-des-bocaux",),
    ),
]

# What each article's illustration shows; an article not listed shows the hub's building.
ARTICLE_SCENES = {
    "visite-de-monique-cassar": Scene.MEETING,
    "la-compagnie-des-bocaux-leve-des-fonds": Scene.PRESERVES,
    "medinscop-recrute": Scene.BUILDING_SITE,
    "votez-pour-la-compagnie-des-bocaux": Scene.CONTEST,
}


def load_news_demo(home: Page, report: DemoReport) -> None:
    """Build the news index and a handful of articles under ``home``."""
    news = ensure_page(
        home,
        NewsIndexPage,
        "actualites",
        {
            "title": "Actualités",
            "show_in_menus": True,
            "introduction": "La vie du Carburateur et de ses résidents.",
        },
        report,
    )
    today = timezone.localdate()
    for demo in ARTICLES:
        if news.get_children().filter(slug=demo.slug).exists():
            report.existing += 1
            continue
        scene = ARTICLE_SCENES.get(demo.slug, Scene.HUB)
        image = ensure_image(f"Illustration {demo.title}", scene, report)
        partner = Page.objects.filter(slug=demo.joint_with_slug).first()
        article = ArticlePage(
            slug=demo.slug,
            title=demo.title,
            date=today - timedelta(days=demo.days_ago),
            author="L'équipe du Carburateur",
            introduction=demo.text,
            listing_image=image,
            joint_partner=partner,
            body=[("paragraph", f"<p>{demo.text}</p>")],
        )
        article.tags.add(*demo.tags)
        related = Page.objects.filter(slug__in=demo.related_slugs).only("pk", "content_type")
        for order, page in enumerate(related):
            if page.specific_class._meta.label in RELATED_PAGE_TYPES:
                article.related_pages.add(ArticleRelatedPage(page=page, sort_order=order))
        news.add_child(instance=article)
        article.save_revision().publish()
        report.created += 1
