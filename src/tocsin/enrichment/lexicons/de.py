"""German cues (folded: ``ä`` → ``a``, ``ß`` → ``ss``; write ``ruckerstattung``)."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="de",
    interrogatives=(
        "wie", "warum", "wieso", "weshalb", "wann", "wo", "wer", "was", "welche", "welcher",
        "wieviel", "wie viel", "kann", "konnen", "konnt", "gibt es", "ist", "sind", "habt",
        "haben", "weiss", "jemand",
    ),
    question_phrases=(
        "wie kann ich", "wie bekomme ich", "weiss jemand", "konnen sie mir sagen",
        "ich wollte fragen", "ist es moglich", "was ist mit meiner",
    ),
    complaint=(
        "immer noch nicht", "immer noch kein", "nie angekommen", "nie erhalten",
        "nicht erhalten", "nicht geliefert", "noch nicht angekommen", "unverschamt",
        "inakzeptabel", "unmoglich", "lacherlich", "katastrophe", "katastrophal",
        "miserabel", "schlechteste", "enttauscht", "enttauschend", "ich habe die nase voll",
        "betrug", "abzocke", "funktioniert nicht", "funktioniert nicht mehr", "kaputt",
        "defekt", "beschadigt", "keine antwort", "keine reaktion", "niemand antwortet",
        "doppelt abgebucht", "verspatung", "verloren", "nie wieder", "danke fur nichts",
        "sauer", "wutend", "frechheit",
    ),
    praise=(
        "danke", "vielen dank", "danke schon", "toll", "super", "grossartig", "perfekt",
        "klasse", "spitze", "wunderbar", "fantastisch", "ich liebe", "liebe es", "hervorragend",
        "gut gemacht", "sehr zufrieden", "begeistert", "top",
    ),
    request=(
        "bitte", "konnen sie", "konnt ihr", "konnten sie", "ich brauche", "ich mochte",
        "ich will", "ich hatte gerne", "helft mir", "helfen sie mir", "kontaktieren sie mich",
        "ruft mich an", "schickt mir", "per dm", "per pn",
    ),
    refund=(
        "ruckerstattung", "erstatten", "erstattet mir", "erstattung", "geld zuruck", "mein geld", r"entschadig\w*",
        "gutschrift", r"ruckzahl\w*",
    ),
    cancellation=(
        "kundigen", "kundigung", "stornieren", "stornierung", "stornieren sie", "abbestellen", "abmelden", "konto loschen",
        "vertrag beenden", "abo beenden",
    ),
    exchange=("umtauschen", "umtausch", "austauschen", "ersatz", "ersetzen", "ein neues"),
    legal_threat=(
        r"anwalt", r"anwalte", r"rechtsanwalt\w*", r"verklag\w*", "klage", "anzeige",
        "rechtliche schritte", "gericht", "verbraucherzentrale", "abmahnung",
    ),
    blackmail=(
        r"(oder|sonst) (ich )?(poste|teile|veroffentliche|verbreite|schreibe|stelle)\w*",
        r"(sonst|ansonsten) (werde ich|mache ich|gehe ich)",
        r"(das|es) uberall (posten|teilen|verbreiten)",
        r"es sei denn,? (sie|ihr) (erstatt|zahl|ersetz)\w*",
    ),
    safety=(
        r"verletz\w*", r"verbrenn\w*", r"verbrannt\w*", "feuer gefangen", "brand",
        "in flammen", "rauch kam", r"explodiert\w*", "explosion", "stromschlag",
        "allergische reaktion", "allergie", "anaphylaktisch", "lebensmittelvergiftung",
        "krank geworden", "ubergeben", "erbrochen", "krankenhaus", "notaufnahme",
        "verschluckt", "glassplitter", "glas im", "metall im", "schimmel", "roh",
        "gefahrlich", "gasleck", "kohlenmonoxid",
    ),
    spam=(
        "folge mir", "follow back", "geld verdienen", "passives einkommen", "link in bio",
        "rabattcode", "schnell reich", "schreib mir auf whatsapp", "garantierte rendite",
    ),
    spam_weak=(
        "krypto", "crypto", "bitcoin", "nft", "forex", "gewinnspiel", "gratis", "kostenlos",
        "klick", "promo", "rabatt", "telegram", "gewinn",
    ),
    risk={
        "legal": (r"anwalt", r"anwalte", r"rechtsanwalt\w*", "klage", "anzeige",
                  "rechtliche schritte", "gericht"),
        "recall": ("ruckruf", "ruckrufaktion", "produktwarnung"),
        "media": (r"journalist\w*", "die presse", "medien", "bild zeitung", "reportage"),
        "regulator": ("verbraucherzentrale", "bundesnetzagentur", "stiftung warentest",
                      "lebensmittelwarnung"),
    },
)
