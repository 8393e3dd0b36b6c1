"""French phrases for the demo generator (written for Tocsin; fictional people and places)."""

# Prose reads better unwrapped: long sentences stay on one line.
# ruff: noqa: E501

from __future__ import annotations

from tocsin.demo.phrases import Phrases

BANK: dict[str, tuple[str, ...]] = {
    "opener.question": (
        "Bonjour {mention},",
        "Petite question {mention} :",
        "Salut {mention},",
        "Bonjour,",
    ),
    "opener.complaint": (
        "Sérieusement {mention} ?",
        "Incroyable.",
        "Bravo {mention}...",
        "J'en ai marre.",
        "Encore.",
    ),
    "opener.praise": ("Il faut le dire :", "Merci {mention} !", "Pour une fois,"),
    "opener.request": ("Madame, Monsieur,", "{mention}", "Bonjour {mention},"),
    "opener.neutral": ("Bon,", "Question bête :", "Au fait,"),
    "closer.question": ("Merci !", "Quelqu'un sait ?", "Merci d'avance", "Bonne journée."),
    "closer.complaint": (
        "Réglez ça.",
        "Plus jamais.",
        "Lamentable.",
        "Quelqu'un lit les messages ?",
        "Je vais changer d'opérateur.",
    ),
    "closer.praise": ("Bravo.", "Client content.", "Continuez comme ça."),
    "closer.request": ("Merci.", "Merci de confirmer.", "J'attends une réponse cette semaine."),
    "closer.neutral": ("Voilà.", "Je dis ça, je dis rien.", "On verra bien."),
    "core.question.billing": (
        "pourquoi ma facture est à {amount} ce mois-ci alors que mon forfait est à {old_amount} ?",
        "quelqu'un peut m'expliquer les {amount} en plus sur ma dernière facture ?",
        "comment récupérer mes factures de l'année dernière ?",
        "est-ce que {brand} facture des frais si je paie par virement ?",
    ),
    "detail.question.billing": (
        "Je n'ai rien changé.",
        "L'appli indique juste « autres frais ».",
        "J'en ai besoin pour ma note de frais.",
    ),
    "core.question.roaming": (
        "le roaming est inclus chez {brand} si je vais en {country} la semaine prochaine ?",
        "faut-il activer quelque chose pour utiliser mes données en {country} ?",
        "combien coûtent les appels passés en {country} avec {brand} ?",
    ),
    "detail.question.roaming": (
        "Je pars vendredi.",
        "La dernière fois j'ai eu une mauvaise surprise sur la facture.",
        "On part {weeks} semaines avec les enfants.",
    ),
    "core.question.coverage": (
        "la 5G {brand} est disponible à {city} ?",
        "quand est-ce que {brand} installe la 5G près de {city} ?",
        "je capte seulement la 4G en plein centre de {city}, c'est normal ?",
    ),
    "detail.question.coverage": (
        "La carte de couverture dit oui, mon téléphone dit non.",
        "Je pense changer de téléphone pour ça.",
        "Mes amis chez d'autres opérateurs l'ont déjà.",
    ),
    "core.question.cancel": (
        "comment résilier mon abonnement {brand} ?",
        "quel est le préavis pour quitter {brand} ?",
        "on peut résilier en ligne ou il faut appeler ?",
    ),
    "detail.question.cancel": (
        "Je déménage à l'étranger dans {weeks} semaines.",
        "Impossible de trouver l'option dans l'appli.",
        "Il faut renvoyer la box ?",
    ),
    "core.question.esim": (
        "est-ce que {brand} propose l'eSIM sur les nouveaux téléphones ?",
        "comment transférer mon eSIM {brand} sur un nouveau téléphone ?",
    ),
    "detail.question.esim": ("Le QR code a expiré.", "En boutique on m'a dit de demander ici."),
    "core.question.moving": (
        "je déménage à {city}, je peux garder ma box {brand} ?",
        "combien de temps faut-il à {brand} pour transférer la fibre à une nouvelle adresse ?",
    ),
    "detail.question.moving": (
        "Je récupère les clés le {days}.",
        "Je télétravaille, je ne peux pas rester sans internet.",
    ),
    "core.complaint.outage": (
        "plus d'internet depuis {hours} heures et aucune nouvelle de {mention}",
        "encore une panne {brand} à {city}",
        "coupure internet depuis {time}, la page d'état de {brand} dit que tout va bien. Non.",
        "troisième coupure cette semaine chez {brand}. Je télétravaille !",
    ),
    "detail.complaint.outage": (
        "Tous les voyants de la box sont orange.",
        "J'ai redémarré la box cinq fois.",
        "Toute la rue est coupée.",
        "Obligé de passer en partage de connexion tout l'après-midi.",
    ),
    "core.complaint.slow_fibre": (
        "je paie la fibre {promised} Mb/s et j'ai {speed} Mb/s. Merci {brand}",
        "la fibre {brand} rame tous les soirs, {speed} Mb/s maximum",
        "speedtest à {speed} Mb/s pour une offre à {promised} Mb/s, c'est une blague {mention} ?",
    ),
    "detail.complaint.slow_fibre": (
        "Câble branché directement sur la box, donc ce n'est pas le wifi.",
        "À 3h du matin ça va, à 21h c'est mort.",
        "Les visios coupent sans arrêt.",
    ),
    "core.complaint.billing_error": (
        "{brand} m'a prélevé deux fois ce mois-ci, {amount} chaque fois",
        "facturé {amount} pour un forfait résilié il y a {weeks} semaines",
        "ma facture est passée de {old_amount} à {amount} sans aucun courrier de {brand}",
    ),
    "detail.complaint.billing_error": (
        "Trois appels, trois réponses différentes.",
        "J'attends toujours le remboursement promis.",
        "Référence de la commande {order}.",
    ),
    "core.complaint.rude_support": (
        "le conseiller {brand} m'a raccroché au nez. Deux fois.",
        "{minutes} minutes d'attente chez {brand} pour m'entendre dire « ce n'est pas notre problème »",
        "jamais été aussi mal reçu que par le service client {brand} aujourd'hui",
    ),
    "detail.complaint.rude_support": (
        "Je suis resté poli du début à la fin.",
        "J'ai demandé un responsable, on m'a ri au nez.",
        "Le chatbot tourne en boucle.",
    ),
    "core.complaint.router_delivery": (
        "toujours pas de box {brand}, commande {order} passée il y a {days} jours",
        "{brand} dit que ma box a été livrée. C'est faux.",
        "le suivi de ma box {brand} n'a pas bougé depuis {days} jours",
    ),
    "detail.complaint.router_delivery": (
        "Personne n'a sonné, pas d'avis de passage, rien.",
        "Le technicien vient demain, donc rendez-vous perdu.",
        "Le transporteur renvoie vers l'expéditeur et inversement.",
    ),
    "core.complaint.mobile_signal": (
        "zéro réseau {brand} dans mon propre appartement à {city}",
        "les appels {brand} coupent toutes les deux minutes vers {city}",
    ),
    "detail.complaint.mobile_signal": (
        "Depuis la dernière mise à jour.",
        "Le téléphone de mon conjoint chez un autre opérateur capte très bien.",
    ),
    "core.praise.install": (
        "le technicien {brand} est venu, 40 minutes et tout marche",
        "fibre installée aujourd'hui par {brand}, à l'heure et propre",
    ),
    "core.praise.support": (
        "{agent} du service client {brand} a réglé mon problème en un appel. Au top.",
        "le service client {brand} m'a vraiment rappelé à l'heure promise",
    ),
    "core.praise.speed": (
        "{speed}0 Mb/s sur la fibre {brand}, pas mal du tout",
        "la 5G {brand} à {city} est vraiment rapide",
    ),
    "core.praise.app": ("la nouvelle appli {brand} est enfin bien, facture trouvée en deux clics",),
    "core.neutral.ad": (
        "cette pub {brand} avec la mamie qui danse passe partout",
        "vu une affiche {brand} géante à {city} ce matin",
    ),
    "core.neutral.switching": (
        "je pense passer chez {brand}, des avis ?",
        "{brand} ou {competitor} pour la fibre, vous conseillez quoi ?",
    ),
    "core.neutral.store": ("la boutique {brand} de {city} déménage dans la rue principale",),
    "core.neutral.chatter": (
        "mon père appelle encore tous les fournisseurs internet « {brand} »",
        "deux personnes se disputaient sur {brand} contre {competitor} dans le métro",
        "{brand} sponsorise le semi-marathon de {city} cette année apparemment",
    ),
    "core.request.refund": (
        "{mention} je demande le remboursement des {days} jours sans service",
        "merci de rembourser les {amount} prélevés par erreur",
    ),
    "detail.request.refund": (
        "Le contrat est à mon nom, commande {order}.",
        "J'ai toutes les captures d'écran.",
    ),
    "core.request.cancellation": (
        "{mention} merci de résilier mon contrat à compter d'aujourd'hui",
        "je veux résilier mon abonnement {brand}, que faut-il fournir ?",
    ),
    "detail.request.cancellation": (
        "J'ai déjà envoyé le courrier recommandé.",
        "Inutile de me proposer une offre.",
    ),
    "core.spam.crypto": (
        "x4 sur $LUMX en une semaine 🚀 écris-moi pour le groupe #{tag} #crypto",
        "Airdrop gratuit pour les clients {brand} !! avant minuit 💰 lien en bio",
    ),
    "core.spam.follow": (
        "abonne-toi je m'abonne en retour 100% #{tag} #followback",
        "1000 abonnés rapidement, pas cher, vrais comptes #{tag}",
    ),
    "core.legal_threat": (
        "{mention} dernier avertissement avant de saisir mon avocat",
        "je saisis le médiateur et le tribunal contre {brand} pour cette facture",
    ),
    "core.blackmail": (
        "{mention} remboursez-moi {amount} avant ce soir ou je publie tout partout, groupes, avis, tout",
        "un an gratuit ou l'enregistrement de votre conseiller finit sur tous les réseaux",
    ),
    "core.safety": (
        "ma box {brand} est tellement chaude qu'elle a fait fondre l'étagère. Odeur de plastique brûlé dans la chambre des enfants",
        "{mention} la box que vous m'avez envoyée fume. De la vraie fumée. Débranchée.",
    ),
    "detail.safety": (
        "Photos à l'appui.",
        "C'est un défaut connu ?",
        "Ça aurait pu mettre le feu.",
    ),
    "pii.phone": (
        "Rappelez-moi au {phone}.",
        "Mon numéro : {phone}, dispo après 17h.",
        "Joignable au {phone}",
    ),
    "pii.email": ("Écrivez-moi à {email}.", "Mon mail : {email}", "Contact : {email}"),
    "pii.order": ("Numéro de commande {order}.", "Réf : {order}", "Commande {order}"),
    "pii.iban": ("Remboursement sur {iban} svp.", "Mon IBAN : {iban}"),
    "core.rumour.data": (
        "{brand} revend votre historique de navigation aux annonceurs. Partagez.",
        "je viens d'apprendre que {brand} vend nos données de navigation aux publicitaires. Dégoûtant.",
    ),
    "core.rumour.plans": (
        "{brand} va couper les anciens forfaits le mois prochain, on sera obligés de prendre plus cher",
        "{brand} va supprimer les vieux forfaits sans prévenir, faites tourner",
        "il paraît que {brand} coupe les anciens forfaits en fin de mois",
    ),
    "core.rumour.doubt": (
        "c'est vrai que {brand} va couper les anciens forfaits ? Quelqu'un a une source ?",
        "{brand} vend vraiment nos données ? Je ne trouve rien d'officiel",
    ),
    "core.rumour.debunk": (
        "l'histoire des anciens forfaits {brand} supprimés est fausse, lisez le communiqué",
        "les gens partagent cette rumeur sur {brand} sans aucune source, sérieusement",
    ),
    "core.crisis.outage": (
        "{brand} en panne partout ? Plus d'internet, plus de télé, plus de 4G {hashtag}",
        "tout le quartier est coupé à {city}, réseau {brand} HS {hashtag}",
        "{hashtag} rien ne marche, même pas le mobile. Merci pour la soirée {brand}",
        "impossible même d'appeler les urgences avec {brand} ?! {hashtag}",
        "panne géante {brand} à {city}, ça fait une heure que plus rien ne marche {hashtag}",
    ),
    "core.crisis.question": (
        "{brand} en panne chez tout le monde ou juste chez moi ? {hashtag}",
        "des nouvelles de {brand} ? Ça va durer combien de temps {hashtag}",
    ),
    "core.crisis.joke": (
        "panne {brand}, j'ai parlé à ma famille pour la première fois depuis des années {hashtag}",
        "la box {brand} qui clignote comme pour s'excuser {hashtag}",
    ),
    "core.crisis.aftermath": (
        "internet revenu mais {brand} nous doit un geste commercial après hier soir",
        "panne {brand} : je veux un dédommagement pour une soirée entière sans rien",
    ),
    "brand.crisis.aware": (
        "Nous constatons un incident réseau majeur touchant internet et le mobile. Nos équipes sont mobilisées. Suivi : status.lumio.example",
    ),
    "brand.crisis.update": (
        "Point de situation : l'incident est localisé, le service revient progressivement par région. Merci de votre patience.",
    ),
    "brand.crisis.restored": (
        "Le service est rétabli partout. Toutes nos excuses pour la gêne ; les modalités de dédommagement seront publiées demain.",
    ),
    "brand.statement.rumour": (
        "Nous ne supprimons aucun ancien forfait et nous ne vendons pas vos données. Les faits : lumio.example/faits",
    ),
    "brand.post": (
        "Nouveau : la 5G arrive à {city} ! Vérifiez votre couverture dans l'appli.",
        "Fibre jusqu'à 2 Gb/s, dès {amount}/mois. Détails en boutique.",
        "En vacances en {country} ? Le roaming est inclus dans tous nos forfaits.",
    ),
    "reply.complaint": (
        "Bonjour {first}, désolés de lire cela. Pouvez-vous nous écrire en message privé avec votre numéro client pour que nous vérifiions votre ligne ?",
        "Nous sommes désolés {first}. Écrivez-nous en privé, nous regardons cela tout de suite.",
    ),
    "reply.question.billing": (
        "Bonjour {first}, il s'agit souvent de frais ponctuels. Écrivez-nous en privé, nous vérifierons votre facture ensemble.",
    ),
    "reply.question.roaming": (
        "Bonjour {first}, l'itinérance dans l'UE est incluse dans votre forfait sans surcoût. Bon voyage !",
    ),
    "reply.question.coverage": (
        "Bonjour {first}, la 5G arrive dans votre secteur ce trimestre. Suivez le déploiement sur notre carte de couverture.",
    ),
    "reply.question.cancel": (
        "Bonjour {first}, vous pouvez résilier depuis l'appli, rubrique Compte > Mon contrat, ou nous écrire en privé.",
    ),
    "reply.question.esim": (
        "Bonjour {first}, oui : dans l'appli, Ma ligne > eSIM, un nouveau QR code est généré immédiatement.",
    ),
    "reply.question.moving": (
        "Bonjour {first}, félicitations pour le déménagement ! Le transfert prend environ 10 jours, lancez-le dans l'appli.",
    ),
    "reply.request": (
        "Bonjour {first}, nous avons bien reçu votre demande. Écrivez-nous en privé pour la traiter en toute sécurité.",
    ),
    "reply.pii": (
        "Bonjour {first}, pour votre sécurité, supprimez le message qui contient vos coordonnées ; nous vous avons écrit en privé.",
    ),
    "reply.safety": (
        "{first}, gardez la box débranchée s'il vous plaît. Nous envoyons un remplacement aujourd'hui et notre équipe sécurité vous appelle.",
    ),
    "reply.legal_threat": (
        "Bonjour {first}, nous comprenons votre colère. Un responsable vous contacte aujourd'hui pour trouver une solution.",
    ),
    "reply.blackmail": (
        "Bonjour {first}, nous voulons régler cela équitablement. Écrivez-nous en privé pour qu'un conseiller senior étudie votre dossier.",
    ),
    "reply.rumour.plans": (
        "Bonjour {first}, c'est faux : aucun ancien forfait ne sera supprimé. Les faits ici : lumio.example/faits",
    ),
    "reply.rumour.data": (
        "Bonjour {first}, c'est faux : nous ne vendons pas vos données de navigation aux annonceurs. Notre politique : lumio.example/confidentialite",
    ),
    "reply.praise": ("Merci beaucoup {first}, nous transmettons à l'équipe !",),
    "reply.follow_up": (
        "Merci {first}, nous avons bien reçu votre message, nous nous en occupons.",
    ),
    "followup.dm_sent": (
        "MP envoyé.",
        "C'est fait, regardez vos messages.",
        "je vous ai envoyé mes infos",
    ),
    "followup.still_waiting": (
        "Toujours rien après {hours} heures.",
        "Message envoyé hier, aucune réponse.",
    ),
    "followup.thanks": (
        "C'est réglé, merci !",
        "Ça remarche, merci {agent}.",
        "Merci, c'était rapide.",
    ),
    "followup.angry": (
        "Même réponse copiée-collée que la semaine dernière.",
        "Un message privé ne va pas réparer ma connexion.",
    ),
    "poach": (
        "Désolés pour vous ! Passez chez {brand}, le premier mois est offert 😉",
        "Ça a l'air pénible. Chez {brand} vous auriez {offer}, nos MP sont ouverts.",
    ),
    "review.title.positive": (
        "Rapide et sympa",
        "Bonne fibre, prix correct",
        "Enfin un opérateur qui répond",
    ),
    "review.title.negative": (
        "À fuir",
        "Cauchemar de facturation",
        "Trois semaines sans internet",
        "Service client déplorable",
    ),
    "news.title.business": (
        "{brand} déploie la 5G à {city}",
        "{brand} gagne plus d'abonnés fibre que prévu",
    ),
    "news.body.business": (
        "L'opérateur annonce que le déploiement se poursuivra ce trimestre, {city} étant la prochaine étape.",
    ),
    "news.title.crisis": (
        "Panne géante chez {brand} : des milliers de clients privés d'internet",
        "Panne {brand} : ce que l'on sait",
    ),
    "news.body.crisis": (
        "Depuis le début de soirée, des clients signalent la perte d'internet, de la télévision et des données mobiles. L'opérateur dit travailler au rétablissement.",
    ),
    "news.title.rumour": ("Non, {brand} ne va pas supprimer les anciens forfaits",),
    "news.body.rumour": (
        "Un message partagé des milliers de fois affirme que l'opérateur va couper les anciens forfaits. Rien ne l'atteste.",
    ),
}

PHRASES = Phrases(
    lang="fr",
    bank=BANK,
    first_names=(
        "Camille",
        "Lucas",
        "Manon",
        "Hugo",
        "Chloé",
        "Théo",
        "Léa",
        "Nathan",
        "Inès",
        "Julien",
        "Sarah",
        "Maxime",
        "Emma",
        "Antoine",
        "Zoé",
        "Karim",
        "Pauline",
        "Yanis",
        "Claire",
        "Romain",
    ),
    last_names=(
        "Martin",
        "Bernard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Fournier",
        "Girard",
        "Lambert",
        "Bonnet",
        "Mercier",
        "Benali",
        "Garnier",
        "Roux",
    ),
    handle_words=(
        "fibre",
        "chat",
        "cafe",
        "lyon",
        "geek",
        "soleil",
        "velo",
        "ronchon",
        "bidule",
        "loup",
    ),
    cities=("Lyon", "Lille", "Nantes", "Bordeaux", "Toulouse", "Marseille", "Rennes", "Strasbourg"),
    countries=("Espagne", "Italie", "Grèce", "Croatie", "Irlande", "Norvège"),
    plans=("Fibre Max", "Mobile 100 Go", "Box Essentiel"),
    agents=("Camille", "Léa", "Mehdi", "Julie"),
    offers=("le premier mois offert", "la box gratuite"),
    slang=(
        ("c'est", "c"),
        ("vraiment", "vrmt"),
        ("quelqu'un", "qqn"),
        ("aujourd'hui", "ajd"),
        ("pourquoi", "pk"),
        ("beaucoup", "bcp"),
    ),
    crisis_hashtags=("#PanneLumio", "#LumioEnPanne"),
    mastodon_instances=("piaille.fr", "mastodon.social", "framapiaf.org"),
    phone_formats=(
        "+33 6 1# ## ## ##",
        "06 2# ## ## ##",
        "07 5# ## ## ##",
        "06.4#.##.##.##",
        "06 6# ## ## ##",
    ),
    email_domains=("example.com", "example.org", "example.net"),
    iban_country="FR",
    decimal_comma=True,
    money="{amount} €",
    clock_24h=True,
    outlets=("Le Quotidien Numérique", "Télécoms Info"),
)
