"""Italian cues."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="it",
    interrogatives=(
        "come", "perche", "quando", "dove", "chi", "cosa", "che cosa", "quale", "quali",
        "quanto", "quanti", "posso", "potete", "potreste", "c'e", "ci sono", "avete",
        "qualcuno",
    ),
    question_phrases=(
        "come posso", "come faccio a", "qualcuno sa", "potete dirmi", "vorrei sapere",
        "e possibile",
    ),
    complaint=(
        "ancora non", "non e mai arrivato", "mai arrivato", "mai ricevuto", "non ricevuto",
        "non consegnato", "sto ancora aspettando", "inaccettabile", "vergognoso", "vergogna",
        "ridicolo", "pessimo", "pessima", "il peggiore", "deluso", "delusa", "deludente",
        "sono stufo", "sono stufa", "truffa", "truffatori", "non funziona",
        "non funziona piu", "rotto", "rotta", "difettoso", "danneggiato", "nessuna risposta",
        "nessuno risponde", "addebitato due volte", "ritardo", "perso il mio", "mai piu",
        "grazie per niente", "arrabbiato", "arrabbiata", "schifo",
    ),
    praise=(
        "grazie", "grazie mille", "fantastico", "fantastica", "ottimo", "ottima",
        "perfetto", "perfetta", "bravissimi", "bravi", "complimenti", "adoro", "stupendo",
        "eccellente", "meraviglioso", "molto contento", "molto contenta", "top",
    ),
    request=(
        "per favore", "per piacere", "potete", "potreste", "ho bisogno", "vorrei", "voglio",
        "aiutatemi", "aiuto", "contattatemi", "chiamatemi", "mandatemi", "in privato",
        "in dm",
    ),
    refund=("rimborso", "rimborsare", "rimborsatemi", "rimborsate", "i miei soldi", "soldi indietro", r"risarc\w*", "indennizzo"),
    cancellation=(
        "annullare", "annullamento", "disdetta", "disdire", "cancellare", "cancellazione", "chiudere il mio account",
        "recedere", "recesso",
    ),
    exchange=("sostituire", "sostituzione", "sostituitemi", "cambiare", "cambio", "uno nuovo"),
    legal_threat=(
        r"avvocat[oi]", "denuncia", "denunciare", "denuncero", "fare causa", "vi faccio causa",
        "tribunale", "vie legali", "azione legale", "codacons", "altroconsumo", "diffida",
    ),
    blackmail=(
        r"o (altrimenti )?(lo |la )?(pubblico|pubblichero|posto|condivido|condividero|"
        r"racconto|scrivo|scrivero|metto)\b",
        r"altrimenti (lo |la )?(pubblico|pubblichero|posto|condivido|racconto|scrivo|metto)\w*",
        r"(pubblicare|condividere|postare)\w* (questo|tutto) ovunque",
        r"a meno che (non )?(mi )?(rimborsiate|paghiate|sostituiate)",
    ),
    safety=(
        r"ferit[oa]", r"ustion\w*", r"bruciat\w*", "incendio", "preso fuoco", "in fiamme",
        "fumo", r"esplos\w*", "scossa elettrica", "folgorato", "reazione allergica",
        "allergia", "shock anafilattico", "intossicazione", "intossicazione alimentare",
        "sono stato male", "vomitato", "vomito", "ospedale", "pronto soccorso", "soffocato",
        "pezzo di vetro", "vetro nel", "muffa", "crudo", "pericoloso", "pericolosa",
        "fuga di gas", "monossido",
    ),
    spam=(
        "seguimi", "follow back", "guadagnare soldi", "reddito passivo", "link in bio",
        "codice sconto", "soldi facili", "scrivimi su whatsapp", "rendimento garantito",
    ),
    spam_weak=(
        "crypto", "cripto", "bitcoin", "nft", "forex", "concorso", "gratis", "clicca",
        "promo", "sconto", "telegram", "guadagno",
    ),
    risk={
        "legal": (r"avvocat[oi]", "denuncia", "tribunale", "vie legali", "azione legale",
                  "diffida"),
        "recall": ("richiamo", "ritiro dal mercato", "ritiro del prodotto", "allerta alimentare"),
        "media": (r"giornalist[ai]", "la stampa", "striscia la notizia", "le iene", "servizio tv"),
        "regulator": ("codacons", "altroconsumo", "agcm", "antitrust", "garante"),
    },
)
