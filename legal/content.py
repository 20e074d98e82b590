"""The first version of the three legal pages, as plain data.

Shared by the data migration that gives an existing site its legal pages and by ``load_demo``;
plain data (no model import) so that the migration may use it. Editors own the pages afterwards:
changing this text changes neither a site that has them nor the past migration's effect.
Facts the project does not know are written « [à compléter : …] » for the editor to fill in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

#: When this text was written and checked against the code.
WRITTEN_ON = dt.date(2026, 12, 3)
CONTACT_EMAIL = "bonjour@lecarburateur.fr"
CNIL_COMPLAINT_URL = "https://www.cnil.fr/fr/adresser-une-plainte"
DEFENSEUR_URL = "https://formulaire.defenseurdesdroits.fr/"
DEFENSEUR_DELEGATES_URL = "https://www.defenseurdesdroits.fr/carte-des-delegues"

Block = dict[str, Any]


def _h2(text: str) -> Block:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _h3(text: str) -> Block:
    return {"type": "heading", "value": {"text": text, "level": "h3"}}


def _text(html: str) -> Block:
    return {"type": "paragraph", "value": html}


def _mail() -> str:
    return f'<a href="mailto:{CONTACT_EMAIL}">{CONTACT_EMAIL}</a>'


NOTICE: dict[str, Any] = {
    "kind": "mentions-legales",
    "slug": "mentions-legales",
    "title": "Mentions légales",
    "introduction": (
        "Qui publie ce site, qui l'héberge et comment nous joindre, conformément à l'article 6 "
        "de la loi n° 2004-575 du 21 juin 2004 pour la confiance dans l'économie numérique."
    ),
    "conformity": "",
    "body": [
        _h2("Éditeur du site"),
        _text(
            "<p>Le site du Carburateur est édité par le pôle entrepreneurial Le Carburateur, "
            "qui accueille, accompagne et héberge les créateurs d'entreprise et les artisans des "
            "quartiers Nord de Marseille, en partenariat avec la Chambre de métiers et de "
            "l'artisanat (CMA) des Bouches-du-Rhône.</p>"
            "<ul>"
            "<li>Structure gestionnaire : [à compléter : raison sociale et forme juridique]</li>"
            "<li>Adresse : [à compléter : numéro et voie], 13015 Marseille</li>"
            "<li>Numéro SIRET : [à compléter : numéro SIRET]</li>"
            f"<li>Courriel : {_mail()}</li>"
            "<li>Téléphone : [à compléter : numéro de téléphone]</li>"
            "</ul>"
        ),
        _h2("Directeur ou directrice de la publication"),
        _text(
            "<p>[à compléter : prénom, nom et fonction du représentant légal de la structure "
            "gestionnaire], joignable à l'adresse ci-dessus.</p>"
        ),
        _h2("Hébergeur"),
        _text(
            "<p>Le site et ses données sont hébergés par [à compléter : raison sociale de "
            "l'hébergeur], [à compléter : adresse postale de l'hébergeur], téléphone : "
            "[à compléter : numéro de téléphone de l'hébergeur].</p>"
        ),
        _h2("Partenariat avec la CMA des Bouches-du-Rhône"),
        _text(
            "<p>Certains articles, événements et programmes sont publiés conjointement avec la "
            "Chambre de métiers et de l'artisanat des Bouches-du-Rhône : ils portent la mention "
            "du partenariat et ne sont mis en ligne qu'après sa validation. La CMA n'édite pas "
            "les autres contenus du site.</p>"
        ),
        _h2("Propriété intellectuelle"),
        _text(
            "<p>Les textes, photographies, illustrations et logos de ce site appartiennent au "
            "Carburateur, à ses partenaires ou à leurs auteurs. Sauf mention contraire, toute "
            "reproduction ou réutilisation, même partielle, demande l'accord préalable de "
            "l'éditeur. Les logos de la CMA et des entreprises résidentes restent la propriété "
            "de leurs titulaires.</p>"
            "<p>Le site est construit avec le logiciel libre Wagtail.</p>"
        ),
        _h2("Données personnelles et cookies"),
        _text(
            "<p>Le site ne dépose aucun cookie de mesure d'audience ni de publicité et ne "
            "charge aucun contenu d'un autre site, sauf les vidéos qu'un article intègre. Seuls "
            "des cookies techniques, nécessaires au fonctionnement, sont utilisés : protection "
            "des formulaires et session des membres de l'équipe qui administrent le site.</p>"
            "<p>Les données recueillies par les formulaires d'inscription aux lettres "
            "d'information et aux rappels de vote sont décrites dans la politique de "
            "confidentialité.</p>"
        ),
        _h2("Nous contacter"),
        _text(f"<p>Pour toute question sur le site ou son contenu, écrivez-nous à {_mail()}.</p>"),
    ],
}

PRIVACY: dict[str, Any] = {
    "kind": "confidentialite",
    "slug": "politique-de-confidentialite",
    "title": "Politique de confidentialité",
    "introduction": (
        "Les données que le site du Carburateur recueille pour ses lettres d'information, ses "
        "rappels de vote et son fonctionnement, pourquoi, combien de temps nous les gardons, "
        "qui les reçoit et comment exercer vos droits."
    ),
    "conformity": "",
    "body": [
        _h2("Responsable du traitement"),
        _text(
            "<p>Le responsable du traitement est l'éditeur du site, le pôle entrepreneurial Le "
            "Carburateur (voir les mentions légales). Pour toute question sur vos données : "
            f"{_mail()}.</p>"
        ),
        _h2("Les données que nous recueillons"),
        _h3("Lettres d'information"),
        _text(
            "<ul>"
            "<li>votre adresse électronique et les thèmes que vous choisissez ;</li>"
            "<li>les dates de votre inscription, de sa confirmation et, le cas échéant, de "
            "votre désinscription ;</li>"
            "<li>le registre de vos consentements : chaque inscription, confirmation, "
            "changement de thèmes ou désinscription, avec sa date, les thèmes concernés, la "
            "version et le texte exact du consentement que vous avez accepté, l'origine de la "
            "demande (formulaire, lien d'un courriel, import) et le réseau de votre adresse IP "
            "tronquée (les derniers chiffres sont effacés : /24 en IPv4, /48 en IPv6) ;</li>"
            "<li>le registre des envois : pour chaque lettre, la date d'envoi et la réponse du "
            "serveur de messagerie, et pour les autres courriels (confirmation, préférences), "
            "leur objet et leurs dates.</li>"
            "</ul>"
        ),
        _h3("Rappels de vote des concours"),
        _text(
            "<ul>"
            "<li>votre adresse électronique et le concours que vous suivez ;</li>"
            "<li>les dates de votre demande, de sa confirmation et, le cas échéant, de votre "
            "refus des rappels ;</li>"
            "<li>les rappels qui vous ont été envoyés (à l'ouverture des votes, avant leur "
            "clôture), enregistrés sous une empreinte chiffrée de votre adresse.</li>"
            "</ul>"
        ),
        _h3("Journaux du serveur"),
        _text(
            "<p>Pour la sécurité et le bon fonctionnement du site, chaque requête est inscrite "
            "dans un journal : la page demandée, la date, le code de réponse, la durée de "
            "traitement et un identifiant technique. Les adresses électroniques y sont masquées "
            "et le site n'y inscrit pas votre adresse IP. Pour limiter les abus, le formulaire "
            "d'inscription compte aussi les tentatives par adresse IP et par adresse "
            "électronique, sous une forme hachée.</p>"
            "<p>Le site ne dépose aucun cookie de mesure d'audience ni de publicité.</p>"
        ),
        _h2("Pourquoi et sur quelle base"),
        _text(
            "<ul>"
            "<li>Vous envoyer les lettres et les rappels que vous avez demandés : votre "
            "<strong>consentement</strong> (article 6.1.a du RGPD), donné en cochant la case "
            "du formulaire puis confirmé par le lien reçu par courriel. Vous pouvez le retirer "
            "à tout moment.</li>"
            "<li>Prouver ce consentement et ne plus jamais écrire à une personne qui l'a "
            "retiré (registre des consentements, liste de blocage) : notre "
            "<strong>obligation légale</strong> de pouvoir démontrer le consentement "
            "(article 7.1 du RGPD) et de respecter votre opposition.</li>"
            "<li>Assurer la sécurité du site et empêcher les inscriptions abusives (journaux, "
            "compteurs) : notre <strong>intérêt légitime</strong> (article 6.1.f du RGPD).</li>"
            "</ul>"
        ),
        _h2("Combien de temps nous les gardons"),
        _text(
            "<p>Les durées marquées « appliquée automatiquement » sont mises en œuvre par le "
            "site lui-même ; les autres sont des engagements de l'équipe du Carburateur.</p>"
        ),
        {"type": "retention_periods", "value": None},
        _h2("Qui reçoit vos données"),
        _text(
            "<ul>"
            "<li>l'équipe communication du Carburateur, qui prépare les lettres et consulte la "
            "liste des abonnés ; seuls les administrateurs du site peuvent effacer une "
            "personne ;</li>"
            "<li>nos sous-traitants, liés par un contrat conforme à l'article 28 du RGPD et "
            "qui n'utilisent vos données que pour nous : l'hébergeur du site (voir les "
            "mentions légales) et le service d'envoi de courriels [à compléter : nom du "
            "prestataire d'envoi et pays où il traite les données].</li>"
            "</ul>"
            "<p>La CMA des Bouches-du-Rhône, notre partenaire, valide les contenus publiés avec "
            "elle mais n'a pas accès aux abonnés ni à leurs données. Vos données ne sont ni "
            "vendues, ni louées, ni cédées.</p>"
        ),
        _h2("Vos droits et comment les exercer"),
        _text(
            "<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, de "
            "limitation, de portabilité et d'opposition, et du droit de retirer votre "
            "consentement à tout moment (articles 15 à 21 du RGPD).</p>"
            "<ul>"
            "<li><strong>Vous désinscrire ou changer vos thèmes</strong> : chaque courriel que "
            "nous envoyons contient un lien de désinscription en un clic et un lien vers votre "
            "page de préférences.</li>"
            "<li><strong>Accès et portabilité</strong> : sur simple demande, nous vous "
            "envoyons l'export complet de ce que nous détenons sur vous (adresse, thèmes, "
            "registre des consentements, courriels envoyés), dans un fichier JSON lisible par "
            "une machine.</li>"
            "<li><strong>Effacement</strong> : sur demande, nous effaçons votre adresse, vos "
            "thèmes, vos suivis de concours et les courriels qui vous étaient destinés. Seule "
            "une empreinte chiffrée de votre adresse est conservée dans notre liste de blocage, "
            "pour que vous ne receviez plus jamais de courriel de notre part.</li>"
            "<li><strong>Rectification</strong> : une adresse erronée ne peut pas être "
            "corrigée sans votre nouvelle confirmation ; désinscrivez l'ancienne et inscrivez "
            "la bonne.</li>"
            "</ul>"
            f"<p>Écrivez-nous à {_mail()} depuis l'adresse concernée. Nous répondons dans un "
            "délai d'un mois.</p>"
            "<p>Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une "
            "réclamation à la Commission nationale de l'informatique et des libertés (CNIL), "
            f'en ligne sur <a href="{CNIL_COMPLAINT_URL}">cnil.fr</a> ou par courrier : CNIL, '
            "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.</p>"
        ),
        _h2("Sécurité"),
        _text(
            "<p>Le site n'est servi qu'en HTTPS. La liste de blocage et le registre des "
            "consentements désignent les personnes par une empreinte chiffrée de leur adresse, "
            "les journaux masquent les adresses électroniques et l'administration du site est "
            "protégée contre les tentatives répétées de connexion.</p>"
        ),
    ],
}

ACCESSIBILITY: dict[str, Any] = {
    "kind": "accessibilite",
    "slug": "declaration-d-accessibilite",
    "title": "Déclaration d'accessibilité",
    "introduction": (
        "Le Carburateur s'engage à rendre son site accessible à toutes et à tous, "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."
    ),
    "conformity": "non-conforme",
    "body": [
        _text(
            "<p>Cette déclaration d'accessibilité s'applique au site public du Carburateur "
            "(pages, agenda, annuaire des résidents, actualités, concours et formulaires "
            "d'inscription aux lettres d'information et aux rappels de vote).</p>"
        ),
        _h2("État de conformité"),
        _text(
            "<p>Le site du Carburateur est <strong>non conforme</strong> avec le référentiel "
            "général d'amélioration de l'accessibilité (RGAA), version 4.1. Le RGAA impose "
            "cette mention tant qu'aucun audit de conformité n'a mesuré le respect de ses "
            "critères : ce n'est pas encore le cas.</p>"
            "<p>Le site est pourtant conçu et vérifié pour être accessible : voir les tests "
            "ci-dessous. Un audit de conformité est prévu : [à compléter : date ou période de "
            "l'audit].</p>"
        ),
        _h2("Résultats des tests"),
        _text(
            "<p>Les tests automatisés du site vérifient :</p>"
            "<ul>"
            "<li>avec l'outil axe-core, chaque type de page publique (accueil, page standard, "
            "annuaire des résidents et fiche d'un résident, actualités et article, programmes "
            "et programme, agenda et événement, partenaires et partenaire, concours, "
            "recherche, page introuvable, pages légales) ainsi que les pages d'inscription, de "
            "confirmation et de préférences des lettres d'information : aucune anomalie grave "
            "ni critique n'est tolérée ;</li>"
            "<li>l'affichage sans défilement horizontal sur un écran de 320 pixels de large, "
            "menu ouvert ;</li>"
            "<li>la navigation au clavier seul : lien d'évitement vers le contenu, menu "
            "principal sur grand écran et sur téléphone, remplissage et envoi du formulaire "
            "d'inscription.</li>"
            "</ul>"
        ),
        _h2("Contenus non accessibles"),
        _text(
            "<p>Les tests automatisés ne relèvent aucune anomalie grave ou critique ; seul "
            "l'audit de conformité dira quels critères du RGAA restent à satisfaire. Les "
            "contenus intégrés depuis "
            "d'autres sites (vidéos) dépendent de l'accessibilité de leur lecteur. Les "
            "documents joints (PDF, documents bureautiques) publiés avant l'audit peuvent ne "
            "pas être accessibles : demandez-nous une version adaptée.</p>"
        ),
        _h2("Établissement de cette déclaration"),
        _text("<p>Cette déclaration a été établie le 3 décembre 2026.</p>"),
        _h3("Technologies utilisées"),
        _text(
            "<ul><li>HTML5</li><li>CSS</li>"
            "<li>JavaScript, en complément seulement : le site fonctionne sans.</li></ul>"
        ),
        _h3("Outils de vérification"),
        _text(
            "<ul>"
            "<li>axe-core 4.14.1, dans le navigateur Chromium piloté par Playwright ;</li>"
            "<li>parcours au clavier automatisés dans Chromium.</li>"
            "</ul>"
        ),
        _h2("Retour d'information et contact"),
        _text(
            "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez-nous "
            f"pour être orienté·e vers une alternative accessible ou obtenir le contenu sous "
            f"une autre forme : {_mail()}.</p>"
        ),
        _h2("Voies de recours"),
        _text(
            "<p>Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder "
            "à un contenu ou à un service et que vous n'avez pas obtenu de réponse "
            "satisfaisante, vous pouvez :</p>"
            "<ul>"
            f'<li>écrire un message au Défenseur des droits (<a href="{DEFENSEUR_URL}">'
            "formulaire en ligne</a>) ;</li>"
            f'<li>contacter le <a href="{DEFENSEUR_DELEGATES_URL}">délégué du Défenseur des '
            "droits dans votre région</a> ;</li>"
            "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : "
            "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>"
            "</ul>"
        ),
    ],
}

LEGAL_PAGES: tuple[dict[str, Any], ...] = (NOTICE, PRIVACY, ACCESSIBILITY)


def legal_page_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """The model fields of one page of ``LEGAL_PAGES`` (its slug aside)."""
    return {
        "title": entry["title"],
        "kind": entry["kind"],
        "introduction": entry["introduction"],
        "last_reviewed": WRITTEN_ON,
        "conformity": entry["conformity"],
        # Raw stream data, which StreamField reads both on the model and in a migration.
        "body": [dict(block) for block in entry["body"]],
    }
