"""French cues (folded: write ``rembourse``, it also matches ``remboursé``)."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="fr",
    interrogatives=(
        "comment", "pourquoi", "quand", "ou", "qui", "quoi", "quel", "quelle", "quels",
        "quelles", "combien", "est-ce", "est-ce que", "peut-on", "puis-je", "pouvez-vous",
        "pourriez-vous", "avez-vous", "etes-vous", "y a-t-il", "c'est quand", "c'est ou",
        "vous", "svp",
    ),
    question_phrases=(
        "est-ce que", "est ce que", "comment faire pour", "comment puis-je", "je voudrais savoir",
        "j'aimerais savoir", "quelqu'un sait", "savez-vous", "des nouvelles de",
    ),
    complaint=(
        "toujours pas", "jamais recu", "jamais arrive", "pas recu", "toujours rien",
        "toujours en attente", "inadmissible", "inacceptable", "scandaleux", "scandale",
        "honteux", "honte", "lamentable", "nul", "nulle", "pire", "decu", "decue",
        "decevant", "marre", "ras le bol", "ras-le-bol", "arnaque", "arnaqueurs", "escroc",
        "escroquerie", "en panne", "ne marche pas", "ne marche plus", "ne fonctionne pas",
        "ne fonctionne plus", "casse", "cassee", "abime", "defectueux", "aucune reponse",
        "pas de reponse", "personne ne repond", "service client nul", "mal servi",
        "preleve deux fois", "facture deux fois", "en retard", "retard", "perdu mon",
        "jamais plus", "plus jamais", "merci pour rien", "n'importe quoi", "je suis furieux",
        "furieuse", "degoute", "degoutee",
    ),
    praise=(
        "merci", "merci beaucoup", "genial", "geniale", "super", "top", "au top", "bravo",
        "excellent", "excellente", "parfait", "parfaite", "j'adore", "adore", "magnifique",
        "formidable", "impeccable", "felicitations", "ravi", "ravie", "tres content",
        "tres contente", "chapeau", "nickel", "un grand merci",
    ),
    request=(
        "pouvez-vous", "pourriez-vous", "pouvez vous", "pourriez vous", "merci de",
        "s'il vous plait", "s'il vous plaît", "svp", "stp", "je voudrais", "j'aimerais",
        "je souhaite", "aidez-moi", "aidez moi", "contactez-moi", "rappelez-moi",
        "j'ai besoin", "envoyez-moi", "mp moi", "en mp",
    ),
    refund=(
        "rembourser", "remboursez", "remboursez-moi", "rembourse-moi", "remboursement", "mon argent", "argent rendu", "rendez-moi mon argent",
        r"dedommag\w*", r"indemnis\w*", "avoir sur", "geste commercial",
    ),
    cancellation=(
        "annuler", "annulez", "annulation", "resilier", "resiliez", "resiliation", "desabonner", "me desinscrire", "fermer mon compte",
        "supprimer mon compte", "mettre fin a mon (abonnement|contrat)",
    ),
    exchange=("echanger", "echangez", "un echange", "remplacer", "remplacez", "remplacement", "en renvoyer un", "un nouveau colis"),
    legal_threat=(
        r"avocats?", "porter plainte", "porterai plainte", "deposer plainte", r"plainte",
        "tribunal", "tribunaux", "poursuites", r"poursuivre en justice", "en justice",
        "mise en demeure", "action collective", "action de groupe", "60 millions",
        "ufc que choisir", "dgccrf", "mediateur",
    ),
    blackmail=(
        r"ou (sinon )?je (vais |le |la |les )*(poste|publie|balance|diffuse|partage|raconte|"
        r"met|mets|ecris|laisse|previens|tweete)\w*",
        r"sinon,? je (vais |le |la |les )*(poste|publie|balance|diffuse|partage|raconte|"
        r"met|mets|ecris|laisse|previens|tweete)\w*",
        r"(partout|sur tous les reseaux|sur les reseaux|a la presse|aux medias)"
        r".{0,30}(si|tant que) (vous|tu) ne",
        r"(poste|publie|balance|diffuse|partage)\w* (ca|cela|tout) partout",
        r"a moins que vous (ne )?(me )?(rembours|pay|dedommag|remplac)\w*",
        "faire le buzz",
    ),
    safety=(
        r"blesse\w*", "blessure", r"brule\w*", "brulure", "incendie", "pris feu",
        "prend feu", "en flammes", "de la fumee", r"explose\w*", "explosion",
        r"electrocut\w*", "decharge electrique", "reaction allergique", "allergie",
        "choc anaphylactique", "intoxication", "intoxication alimentaire", "malade apres",
        "rendu malade", r"vomi\w*", "hopital", "urgences", "samu", "etouffe", "morceau de verre",
        "bout de verre", "morceau de metal", r"moisi\w*", "pas cuit", "dangereux", "dangereuse",
        "fuite de gaz", "monoxyde",
    ),
    spam=(
        "abonne-toi", "abonnez-vous a ma", "suivez-moi", "follow back", "gagner de l'argent",
        "revenu passif", "lien en bio", "code promo", "argent facile", "crypto gratuite",
        "investissement garanti", "ecris-moi sur whatsapp",
    ),
    spam_weak=(
        "crypto", "bitcoin", "nft", "forex", "concours", "gratuit", "gratuite", "cliquez",
        "promo", "reduction", "telegram", "gains",
    ),
    risk={
        "legal": (r"avocats?", "plainte", "tribunal", "mise en demeure", "action de groupe",
                  "action collective", "en justice"),
        "recall": ("rappel conso", "rappel produit", "rappel de produit", "rappel-conso"),
        "media": (r"journalistes?", "la presse", "medias", "reportage", "le parisien",
                  "envoye special", "cash investigation"),
        "regulator": ("dgccrf", "ufc que choisir", "60 millions", "cnil", "anses",
                      "mediateur", "signal conso", "signalconso"),
    },
)
