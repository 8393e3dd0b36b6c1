"""Dutch cues."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="nl",
    interrogatives=(
        "hoe", "waarom", "wanneer", "waar", "wie", "wat", "welke", "hoeveel", "kan", "kunnen",
        "kunt", "mag", "is", "zijn", "heeft", "hebben", "wordt", "weet", "iemand",
    ),
    question_phrases=(
        "hoe kan ik", "hoe moet ik", "weet iemand", "kunnen jullie", "kunt u", "ik vroeg me af",
        "is het mogelijk", "wat is de status",
    ),
    complaint=(
        "nog steeds niet", "nog steeds geen", "nooit aangekomen", "nooit ontvangen",
        "niet ontvangen", "niet geleverd", "nog altijd niet", "schandalig", "schande",
        "onacceptabel", "belachelijk", "waardeloos", "slecht", "slechtste", "teleurgesteld",
        "teleurstellend", "ik ben het zat", "ben het zat", "zat van", "oplichting",
        "oplichters", "werkt niet", "werkt niet meer", "kapot", "defect", "beschadigd",
        "geen reactie", "geen antwoord", "niemand reageert", "klantenservice is",
        "dubbel afgeschreven", "twee keer afgeschreven", "vertraging", "kwijt", "nooit meer",
        "bedankt voor niks", "bedankt voor niets", "boos", "woedend",
    ),
    praise=(
        "bedankt", "dank je", "dank jullie", "dankjewel", "dankuwel", "geweldig", "top",
        "toppie", "super", "fantastisch", "perfect", "heerlijk", "prima", "goed gedaan",
        "complimenten", "chapeau", "blij met", "erg blij", "tevreden", "fijn", "uitstekend",
    ),
    request=(
        "graag", "alstublieft", "alsjeblieft", "aub", "kunnen jullie", "kunt u", "kun je",
        "ik wil", "ik zou graag", "ik wil graag", "help", "helpen", "neem contact",
        "bel me", "stuur me", "stuur mij", "via dm", "in een dm",
    ),
    refund=(
        "terugbetalen", "terugbetaling", "geld terug", "terugstorten", "mijn geld", r"restitu\w*",
        r"vergoed\w*", "compensatie", "schadevergoeding",
    ),
    cancellation=(
        "opzeggen", "opzegging", "annuleren", "annulering", "zeg ik op", "account verwijderen",
        "account opheffen", "abonnement stoppen", "stopzetten", "afmelden",
    ),
    exchange=("ruilen", "omruilen", "vervangen", "vervanging", "nieuwe sturen", "een nieuwe"),
    legal_threat=(
        r"advocaat", r"advocaten", r"rechtszaak", "naar de rechter", "rechter", "aangifte",
        "juridische stappen", "juridisch", "dagvaarding", "ingebrekestelling",
        "consumentenbond", "geschillencommissie", "acm",
    ),
    blackmail=(
        r"(of|anders) (ik )?(post|plaats|deel|zet|zal|ga)\w*"
        r"( ik)?( dit| het)?( overal| online| op (social media|sociale media|twitter|facebook))",
        r"anders (ga ik|zet ik|deel ik|plaats ik|post ik)",
        r"(dit|het) overal (posten|delen|plaatsen|zetten)",
        r"tenzij (jullie|u) (mijn geld|terugbetal|vergoed)\w*",
    ),
    safety=(
        r"gewond\w*", "letsel", r"verbrand\w*", "brandwond", "brandwonden", "in brand",
        "vlam gevat", "vlam vatten", "rook kwam", r"ontplof\w*", "explosie", "stroomschok",
        "geelektrocuteerd", "allergische reactie", "allergie", "anafylactische",
        "voedselvergiftiging", "ziek geworden", "ziek van", r"overgegeven", "overgeven",
        "ziekenhuis", "spoedeisende hulp", "eerste hulp", "verslikt", "glas in", "stuk glas",
        "metaal in", "schimmel", "rauw", "gevaarlijk", "gaslek", "koolmonoxide",
    ),
    spam=(
        "volg mij", "volg terug", "follow back", "geld verdienen", "passief inkomen",
        "link in bio", "kortingscode", "snel rijk", "app me op whatsapp",
        "gegarandeerd rendement",
    ),
    spam_weak=(
        "crypto", "bitcoin", "nft", "forex", "winactie", "gratis", "klik", "promo",
        "korting", "telegram", "winst",
    ),
    risk={
        "legal": ("advocaat", "advocaten", "rechtszaak", "rechter", "aangifte",
                  "juridische stappen"),
        "recall": ("terugroepactie", "teruggeroepen", "terugroepen", "veiligheidswaarschuwing"),
        "media": (r"journalist(en)?", "de pers", "media", "kassa", "radar", "telegraaf",
                  "nos"),
        "regulator": ("consumentenbond", "acm", "nvwa", "geschillencommissie",
                      "autoriteit"),
    },
)
