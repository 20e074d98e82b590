"""Demo content of the news section, including the CMA president's visit (joint content).

Called by the site's ``load_demo`` command after the residents and programs demos, whose
pages the articles link to; like it, it only creates what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from wagtail.blocks import StreamValue
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
    #: The article itself, paragraph by paragraph: it goes further than the introduction
    #: (``text``), never repeats it.
    body: tuple[str, ...]
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
        (
            "Accueillie par l'équipe du hub, Monique Cassar a commencé sa visite par les "
            "ateliers du rez-de-chaussée, où les artisans résidents fabriquent, stockent et "
            "expédient leurs produits. Elle s'est attardée dans la cuisine de La Compagnie des "
            "Bocaux, où Saïda et Thomas Palmieri lui ont présenté leurs conserves de légumes de "
            "Provence et leurs projets de développement.",
            "Chez Medinscop, Maxime Larabi a expliqué comment la coopérative permet à des "
            "artisans du bâtiment de tester leur activité sans créer seuls leur entreprise. La "
            "présidente a rappelé que la CMA accompagne ces entrepreneurs jusqu'à leur "
            "immatriculation, puis dans leurs premières années.",
            "La visite s'est conclue par un échange sur la convention qui lie la Chambre et le "
            "Carburateur depuis 2017 : réunions d'information, rendez-vous d'experts et "
            "formations gratuites se tiennent chaque mois dans les salles du hub. « Les quartiers "
            "Nord ont des talents ; notre rôle est de leur ouvrir les mêmes portes qu'ailleurs », "
            "a-t-elle souligné.",
        ),
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
        (
            "Installée au Carburateur depuis 2017, l'entreprise a vu ses ventes doubler en deux "
            "ans. Pour suivre la demande, elle doit s'équiper d'une seconde ligne de mise en "
            "bocaux et agrandir son espace de stockage au sein du hub.",
            "La levée de fonds, accompagnée par les experts financement de la CMA, devrait "
            "associer un prêt d'honneur, un prêt bancaire et l'entrée d'investisseurs "
            "régionaux. Les fondateurs tiennent à garder la majorité du capital et leur "
            "approvisionnement auprès de maraîchers des Bouches-du-Rhône.",
        ),
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
        (
            "Plombiers, électriciens, carreleurs ou menuisiers : la coopérative cherche des "
            "professionnels qui veulent se lancer à leur compte sans être seuls. Chacun y "
            "développe sa clientèle sous son nom, tandis que Medinscop prend en charge la "
            "comptabilité, l'assurance et les démarches administratives.",
            "Les candidats deviennent d'abord entrepreneurs salariés, puis peuvent devenir "
            "associés de la coopérative. Une réunion de présentation a lieu chaque mois au "
            "Carburateur ; on peut aussi écrire à Medinscop depuis sa page dans l'annuaire des "
            "résidents.",
        ),
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
        (
            "Le projet présenté par La Compagnie des Bocaux vise à réduire le gaspillage en "
            "cuisinant les légumes déclassés de producteurs locaux, trop petits ou mal formés "
            "pour les étals, mais parfaits en conserve.",
            "Le vote est gratuit et ouvert à tous, une fois par jour et par personne, sur le "
            "site de La Fabrique Aviva. Les projets les plus soutenus passent devant un jury "
            "qui attribue des dotations et un accompagnement ; pour ne pas oublier, "
            "inscrivez-vous aux rappels de vote depuis la page du concours.",
        ),
    ),
]

# What each article's illustration shows; an article not listed shows the hub's building.
ARTICLE_SCENES = {
    "visite-de-monique-cassar": Scene.MEETING,
    "la-compagnie-des-bocaux-leve-des-fonds": Scene.PRESERVES,
    "medinscop-recrute": Scene.BUILDING_SITE,
    "votez-pour-la-compagnie-des-bocaux": Scene.CONTEST,
}


def _paragraphs(body: StreamValue) -> list[str]:
    return [getattr(block.value, "source", str(block.value)) for block in body]


def replace_copied_body(article: ArticlePage, demo: DemoArticle, report: DemoReport) -> None:
    """Give an article created by an earlier demo, whose body was a copy of its introduction,
    its real body; an article someone edited since is left alone."""
    if _paragraphs(article.body) != [f"<p>{demo.text}</p>"]:
        return
    article.body = [("paragraph", f"<p>{paragraph}</p>") for paragraph in demo.body]
    article.save_revision().publish()
    report.created += 1


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
        existing = ArticlePage.objects.child_of(news).filter(slug=demo.slug).first()
        if existing is not None:
            report.existing += 1
            replace_copied_body(existing, demo, report)
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
            body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in demo.body],
        )
        article.tags.add(*demo.tags)
        related = Page.objects.filter(slug__in=demo.related_slugs).only("pk", "content_type")
        for order, page in enumerate(related):
            if page.specific_class._meta.label in RELATED_PAGE_TYPES:
                article.related_pages.add(ArticleRelatedPage(page=page, sort_order=order))
        news.add_child(instance=article)
        article.save_revision().publish()
        report.created += 1
