"""Dutch phrases for the demo generator (written for Tocsin; fictional people and places)."""

# Prose reads better unwrapped: long sentences stay on one line.
# ruff: noqa: E501

from __future__ import annotations

from tocsin.demo.phrases import Phrases

BANK: dict[str, tuple[str, ...]] = {
    "opener.question": (
        "Hoi {mention},",
        "Vraagje voor {mention}:",
        "Hallo {mention},",
        "Goedemiddag,",
    ),
    "opener.complaint": (
        "Serieus {mention}?",
        "Ongelofelijk.",
        "Goed bezig {mention}...",
        "Ik ben het zat.",
        "Alweer.",
    ),
    "opener.praise": ("Eerlijk is eerlijk:", "Top {mention}!", "Moet ik even kwijt:"),
    "opener.request": ("Geachte {mention},", "{mention}", "Hallo {mention},"),
    "opener.neutral": ("Nou,", "Domme vraag:", "Trouwens,"),
    "closer.question": ("Bedankt!", "Iemand een idee?", "Alvast bedankt", "Groetjes."),
    "closer.complaint": (
        "Los het op.",
        "Nooit meer.",
        "Belachelijk.",
        "Leest iemand dit eigenlijk?",
        "Ik stap over.",
    ),
    "closer.praise": ("Chapeau.", "Tevreden klant.", "Meer van dit graag."),
    "closer.request": ("Dank u.", "Graag bevestiging.", "Ik verwacht deze week antwoord."),
    "closer.neutral": ("Enfin.", "Zeg het maar.", "We zullen zien."),
    "core.question.billing": (
        "waarom is mijn rekening deze maand {amount} terwijl mijn abonnement {old_amount} kost?",
        "kan iemand de extra {amount} op mijn laatste factuur uitleggen?",
        "hoe krijg ik mijn facturen van vorig jaar?",
        "rekent {brand} extra kosten als ik per overschrijving betaal?",
    ),
    "detail.question.billing": (
        "Ik heb niks veranderd.",
        "In de app staat alleen 'overige kosten'.",
        "Ik heb ze nodig voor mijn onkostendeclaratie.",
    ),
    "core.question.roaming": (
        "is roaming inbegrepen bij {brand} als ik volgende week naar {country} ga?",
        "moet ik iets aanzetten om mijn data in {country} te gebruiken?",
        "wat kost bellen vanuit {country} bij {brand}?",
    ),
    "detail.question.roaming": (
        "Ik vlieg vrijdag.",
        "Vorige keer schrok ik me rot van de rekening.",
        "We gaan {weeks} weken met de kinderen.",
    ),
    "core.question.coverage": (
        "heeft {brand} al 5G in {city}?",
        "wanneer komt 5G van {brand} naar mijn buurt bij {city}?",
        "ik heb alleen 4G in het centrum van {city}, is dat normaal?",
    ),
    "detail.question.coverage": (
        "Op de dekkingskaart staat ja, mijn telefoon zegt nee.",
        "Ik wil er een nieuwe telefoon voor kopen.",
        "Vrienden bij andere providers hebben het al.",
    ),
    "core.question.cancel": (
        "hoe zeg ik mijn abonnement bij {brand} op?",
        "wat is de opzegtermijn bij {brand}?",
        "kan ik online opzeggen of moet ik bellen?",
    ),
    "detail.question.cancel": (
        "Ik verhuis over {weeks} weken naar het buitenland.",
        "Ik kan het nergens vinden in de app.",
        "Moet het modem terug?",
    ),
    "core.question.esim": (
        "ondersteunt {brand} eSIM op de nieuwe toestellen?",
        "hoe zet ik mijn eSIM van {brand} over naar een nieuwe telefoon?",
    ),
    "detail.question.esim": (
        "De QR-code is verlopen.",
        "In de winkel zeiden ze dat ik het hier moest vragen.",
    ),
    "core.question.moving": (
        "ik verhuis naar {city}, kan ik mijn internet van {brand} meenemen?",
        "hoe lang duurt het voordat {brand} glasvezel op een nieuw adres aansluit?",
    ),
    "detail.question.moving": (
        "Ik krijg de sleutels op de {days}e.",
        "Ik werk thuis, dus ik kan niet zonder internet.",
    ),
    "core.complaint.outage": (
        "al {hours} uur geen internet en geen woord van {mention}",
        "internet van {brand} ligt WEER plat in {city}",
        "sinds {time} geen internet en volgens de storingspagina van {brand} is alles in orde. Niet dus.",
        "derde storing deze week bij {brand}. Ik werk thuis!",
    ),
    "detail.complaint.outage": (
        "Alle lampjes op het modem zijn oranje.",
        "Modem vijf keer opnieuw opgestart.",
        "De hele straat ligt eruit.",
        "De hele middag via mijn telefoon moeten tetheren.",
    ),
    "core.complaint.slow_fibre": (
        "ik betaal voor {promised} Mbit glasvezel en krijg {speed} Mbit. Bedankt {brand}",
        "glasvezel van {brand} is elke avond traag, hooguit {speed} Mbit",
        "speedtest geeft {speed} Mbit op een abonnement van {promised} Mbit. Is dit een grap {mention}?",
    ),
    "detail.complaint.slow_fibre": (
        "Kabel direct in het modem, dus het ligt niet aan de wifi.",
        "Om 3 uur 's nachts prima, om 9 uur 's avonds onbruikbaar.",
        "Videobellen valt steeds weg.",
    ),
    "core.complaint.billing_error": (
        "{brand} heeft deze maand twee keer {amount} afgeschreven",
        "{amount} betaald voor een abonnement dat ik {weeks} weken geleden heb opgezegd",
        "mijn rekening ging van {old_amount} naar {amount} zonder enig bericht van {brand}",
    ),
    "detail.complaint.billing_error": (
        "Drie keer gebeld, drie verschillende antwoorden.",
        "Wacht nog steeds op de beloofde terugbetaling.",
        "Factuur hoort bij bestelling {order}.",
    ),
    "core.complaint.rude_support": (
        "de medewerker van {brand} heeft gewoon opgehangen. Twee keer.",
        "{minutes} minuten in de wacht bij {brand} om te horen 'daar gaan wij niet over'",
        "nog nooit zo onbeschoft behandeld als vandaag door de klantenservice van {brand}",
    ),
    "detail.complaint.rude_support": (
        "Ik bleef de hele tijd beleefd.",
        "Vroeg naar een leidinggevende en werd uitgelachen.",
        "De chatbot draait in rondjes.",
    ),
    "core.complaint.router_delivery": (
        "nog steeds geen modem van {brand}, bestelling {order} al {days} dagen geleden geplaatst",
        "{brand} zegt dat mijn modem bezorgd is. Is niet zo.",
        "de track & trace van mijn {brand} modem staat al {days} dagen stil",
    ),
    "detail.complaint.router_delivery": (
        "Niemand heeft aangebeld, geen briefje, niks.",
        "Monteur komt morgen, dus die afspraak kan ook de prullenbak in.",
        "De bezorger verwijst naar de afzender en andersom.",
    ),
    "core.complaint.mobile_signal": (
        "geen bereik bij {brand} in mijn eigen huis in {city}",
        "gesprekken via {brand} vallen om de paar minuten weg rond {city}",
    ),
    "detail.complaint.mobile_signal": (
        "Sinds de laatste update.",
        "De telefoon van mijn vriendin bij een andere provider doet het prima.",
    ),
    "core.praise.install": (
        "monteur van {brand} was er binnen 40 minuten klaar mee en alles werkt",
        "glasvezel vandaag aangelegd door {brand}, op tijd en netjes",
    ),
    "core.praise.support": (
        "{agent} van de klantenservice van {brand} heeft het in één gesprek opgelost. Held.",
        "{brand} belde me echt terug op het afgesproken tijdstip",
    ),
    "core.praise.speed": (
        "{speed}0 Mbit op glasvezel van {brand}, niet slecht",
        "5G van {brand} in {city} is belachelijk snel",
    ),
    "core.praise.app": (
        "de nieuwe app van {brand} is eindelijk goed, rekening in twee tikken gevonden",
    ),
    "core.neutral.ad": (
        "die reclame van {brand} met de dansende oma is overal",
        "vanochtend een gigantisch billboard van {brand} gezien in {city}",
    ),
    "core.neutral.switching": (
        "ik denk erover om naar {brand} over te stappen, ervaringen?",
        "{brand} of {competitor} voor glasvezel, wat raden jullie aan?",
    ),
    "core.neutral.store": ("de winkel van {brand} in {city} verhuist naar de hoofdstraat",),
    "core.neutral.chatter": (
        "mijn vader noemt elke internetprovider nog steeds '{brand}'",
        "twee mensen in de trein in discussie over {brand} tegen {competitor}",
        "{brand} sponsort dit jaar de marathon van {city} schijnbaar",
    ),
    "core.request.refund": (
        "{mention} ik wil mijn geld terug voor de {days} dagen zonder dienst",
        "graag de {amount} terugstorten die jullie per ongeluk hebben afgeschreven",
    ),
    "detail.request.refund": (
        "Het contract staat op mijn naam, bestelling {order}.",
        "Ik heb alle screenshots.",
    ),
    "core.request.cancellation": (
        "{mention} graag mijn abonnement per vandaag opzeggen",
        "ik wil mijn abonnement bij {brand} beëindigen, wat hebben jullie van me nodig?",
    ),
    "detail.request.cancellation": (
        "De brief is al verstuurd.",
        "Probeer me niet te houden met aanbiedingen.",
    ),
    "core.spam.crypto": (
        "4x op $LUMX in een week 🚀 stuur me een DM voor de signaalgroep #{tag} #crypto",
        "Gratis airdrop voor klanten van {brand}!! claim voor middernacht 💰 link in bio",
    ),
    "core.spam.follow": (
        "volg mij dan volg ik jou 100% #{tag} #volgvoorvolg",
        "snel 1000 volgers, goedkoop, echte accounts #{tag}",
    ),
    "core.legal_threat": (
        "{mention} laatste kans voordat mijn advocaat het overneemt",
        "ik stap naar de Geschillencommissie en de rechter tegen {brand} om deze rekening",
    ),
    "core.blackmail": (
        "{mention} stort vanavond {amount} terug of ik zet dit overal online, alle groepen, alle reviewsites",
        "een jaar gratis of de opname van jullie medewerker komt op elk platform dat ik heb",
    ),
    "core.safety": (
        "mijn modem van {brand} wordt zo heet dat de plank is gesmolten. Brandlucht in de kinderkamer",
        "{mention} het modem dat jullie stuurden rookt. Echte rook. Stekker eruit.",
    ),
    "detail.safety": (
        "Foto's heb ik.",
        "Is dit een bekend probleem?",
        "Dit had brand kunnen veroorzaken.",
    ),
    "pii.phone": (
        "Bel me op {phone}.",
        "Mijn nummer is {phone}, na vijf uur bereikbaar.",
        "Bereikbaar op {phone}",
    ),
    "pii.email": ("Mail me op {email}.", "Mijn mailadres is {email}", "Mail: {email}"),
    "pii.order": ("Bestelnummer {order}.", "Ref: {order}", "Bestelling {order}"),
    "pii.iban": ("Graag terugstorten op {iban}.", "Mijn IBAN: {iban}"),
    "core.rumour.data": (
        "{brand} verkoopt je surfgedrag aan adverteerders. Delen!",
        "net gehoord dat {brand} onze browsegegevens aan reclamebedrijven verkoopt. Walgelijk.",
    ),
    "core.rumour.plans": (
        "{brand} schrapt volgende maand alle oude abonnementen, je wordt gedwongen duurder te betalen",
        "schijnbaar stopt {brand} zonder waarschuwing met de oude contracten",
    ),
    "core.rumour.doubt": (
        "klopt het dat {brand} onze surfgegevens verkoopt? Heeft iemand een bron?",
        "stopt {brand} echt met de oude abonnementen? Ik vind niks officieels",
    ),
    "core.rumour.debunk": (
        "dat verhaal dat {brand} je data verkoopt is nep, lees hun privacybeleid",
        "mensen die dat {brand}-verhaal delen zonder enige bron, kom op zeg",
    ),
    "core.crisis.outage": (
        "{brand} overal plat? Geen internet, geen tv, geen mobiele data {hashtag}",
        "hele wijk in {city} zonder verbinding, netwerk van {brand} volledig dood {hashtag}",
        "{hashtag} niks werkt. Zelfs 4G niet. Fijne avond {brand}",
        "kan zelfs 112 niet bellen via {brand}?! {hashtag}",
        "grote storing bij {brand} in {city}, al een uur lang niks {hashtag}",
    ),
    "core.crisis.question": (
        "ligt {brand} eruit bij iedereen of alleen bij mij? {hashtag}",
        "al nieuws van {brand}? Hoe lang gaat dit duren {hashtag}",
    ),
    "core.crisis.joke": (
        "{brand} plat, voor het eerst in jaren met mijn familie gepraat {hashtag}",
        "het modem van {brand} knippert alsof het sorry zegt {hashtag}",
    ),
    "core.crisis.aftermath": (
        "internet is terug maar {brand} is ons allemaal korting schuldig na gisteravond",
        "storing {brand}: ik wil een vergoeding voor een hele avond offline",
    ),
    "brand.crisis.aware": (
        "We zien een grote netwerkstoring bij internet en mobiel. Onze teams werken eraan. Updates: status.lumio.example",
    ),
    "brand.crisis.update": (
        "Update: de storing is gevonden, de dienst komt regio per regio terug. Bedankt voor jullie geduld.",
    ),
    "brand.crisis.restored": (
        "De dienst is overal hersteld. Excuses voor de overlast; morgen meer over de compensatie.",
    ),
    "brand.statement.rumour": (
        "Wij verkopen je surfgegevens aan niemand. Ons privacybeleid: lumio.example/privacy",
    ),
    "brand.post": (
        "Nieuw: 5G is nu live in {city}! Check je dekking in de app.",
        "Glasvezel tot 2 Gbit, vanaf {amount} per maand. Meer info in de winkel.",
        "Op reis naar {country}? Roaming zit in elk abonnement.",
    ),
    "reply.complaint": (
        "Hoi {first}, vervelend om te lezen. Kun je ons een DM sturen met je klantnummer zodat we je lijn kunnen checken?",
        "Sorry {first}, zo hoort het niet. Stuur ons een DM, dan kijken we er meteen naar.",
    ),
    "reply.question.billing": (
        "Hoi {first}, dat is meestal een eenmalige kostenpost. Stuur ons een DM, dan bekijken we je factuur samen.",
    ),
    "reply.question.roaming": (
        "Hoi {first}, roaming binnen de EU zit zonder extra kosten in je abonnement. Goede reis!",
    ),
    "reply.question.coverage": (
        "Hoi {first}, 5G komt dit kwartaal naar jouw regio. Je kunt het volgen op onze dekkingskaart.",
    ),
    "reply.question.cancel": (
        "Hoi {first}, opzeggen kan in de app onder Account > Mijn contract, of we helpen je via DM.",
    ),
    "reply.question.esim": (
        "Hoi {first}, ja: in de app onder Mijn lijn > eSIM krijg je direct een nieuwe QR-code.",
    ),
    "reply.question.moving": (
        "Hoi {first}, gefeliciteerd met de verhuizing! Overzetten duurt ongeveer 10 dagen, start het in de app.",
    ),
    "reply.request": (
        "Hoi {first}, we hebben je verzoek ontvangen. Stuur ons een DM zodat we het veilig kunnen afhandelen.",
    ),
    "reply.pii": (
        "Hoi {first}, verwijder voor je eigen veiligheid het bericht met je persoonlijke gegevens; we hebben je een DM gestuurd.",
    ),
    "reply.safety": (
        "{first}, laat het modem alsjeblieft uit het stopcontact. We sturen vandaag een vervanger en ons veiligheidsteam belt je.",
    ),
    "reply.legal_threat": (
        "Hoi {first}, we begrijpen je frustratie. Een leidinggevende neemt vandaag contact met je op.",
    ),
    "reply.blackmail": (
        "Hoi {first}, we willen dit eerlijk oplossen. Stuur ons een DM zodat een senior adviseur je dossier bekijkt.",
    ),
    "reply.rumour.data": (
        "Hoi {first}, dat klopt niet: wij verkopen geen surfgegevens aan adverteerders. Ons beleid: lumio.example/privacy",
    ),
    "reply.rumour.plans": (
        "Hoi {first}, dat klopt niet: er verdwijnt geen enkel oud abonnement. De feiten: lumio.example/feiten",
    ),
    "reply.praise": ("Dankjewel {first}, we geven het door aan het team!",),
    "reply.follow_up": ("Bedankt {first}, we hebben je bericht en gaan ermee aan de slag.",),
    "followup.dm_sent": (
        "DM gestuurd.",
        "Gedaan, check jullie berichten.",
        "heb mijn gegevens gestuurd",
    ),
    "followup.still_waiting": (
        "Na {hours} uur nog steeds niks.",
        "Gisteren een DM gestuurd, geen antwoord.",
    ),
    "followup.thanks": (
        "Opgelost, bedankt!",
        "Werkt weer, dank je {agent}.",
        "Dank, dat ging snel.",
    ),
    "followup.angry": (
        "Zelfde standaardantwoord als vorige week.",
        "Een DM maakt mijn internet niet beter.",
    ),
    "poach": (
        "Vervelend! Stap over naar {brand}, eerste maand gratis 😉",
        "Dat klinkt niet leuk. Bij {brand} krijg je {offer}, onze DM staat open.",
    ),
    "review.title.positive": (
        "Snel en vriendelijk",
        "Goede glasvezel, eerlijke prijs",
        "Eindelijk een provider die antwoordt",
    ),
    "review.title.negative": (
        "Blijf weg",
        "Factuurellende",
        "Drie weken zonder internet",
        "Waardeloze klantenservice",
    ),
    "news.title.business": (
        "{brand} brengt 5G naar {city}",
        "{brand} wint meer glasvezelklanten dan verwacht",
    ),
    "news.body.business": (
        "De provider zegt dat de uitrol dit kwartaal doorgaat, met {city} als volgende stap.",
    ),
    "news.title.crisis": (
        "Grote storing bij {brand}: duizenden klanten zonder internet",
        "Storing {brand}: dit weten we",
    ),
    "news.body.crisis": (
        "Sinds het begin van de avond melden klanten dat internet, tv en mobiele data wegvallen. De provider zegt dat eraan gewerkt wordt.",
    ),
    "news.title.rumour": ("Nee, {brand} verkoopt je surfgedrag niet",),
    "news.body.rumour": (
        "Een bericht dat duizenden keren is gedeeld beweert dat de provider surfgegevens verkoopt. Daar is geen bewijs voor.",
    ),
}

PHRASES = Phrases(
    lang="nl",
    bank=BANK,
    first_names=(
        "Sanne",
        "Daan",
        "Lotte",
        "Bram",
        "Femke",
        "Sem",
        "Eva",
        "Ruben",
        "Anouk",
        "Thijs",
        "Lieke",
        "Jeroen",
        "Noor",
        "Pieter",
        "Fleur",
        "Wout",
        "Iris",
        "Joris",
    ),
    last_names=(
        "de Jong",
        "Jansen",
        "de Vries",
        "van Dijk",
        "Bakker",
        "Visser",
        "Smit",
        "Peeters",
        "Maes",
        "Janssens",
        "Mulder",
        "de Boer",
        "Willems",
        "Claes",
    ),
    handle_words=(
        "glasvezel",
        "kat",
        "koffie",
        "utrecht",
        "nerd",
        "zon",
        "fiets",
        "mopperaar",
        "dingen",
        "wolf",
    ),
    cities=("Utrecht", "Rotterdam", "Eindhoven", "Groningen", "Gent", "Antwerpen", "Leiden"),
    countries=("Frankrijk", "Italië", "Griekenland", "Spanje", "Marokko", "Turkije"),
    plans=("Glasvezel Max", "Mobiel 80 GB", "Thuis Basis"),
    agents=("Sanne", "Mark", "Lisa", "Koen"),
    offers=("de eerste maand gratis", "een gratis modem"),
    slang=(("niet", "nie"), ("even", "ff"), ("ook", "oo"), ("eigenlijk", "eig"), ("wat", "wa")),
    crisis_hashtags=("#LumioDown", "#LumioStoring"),
    mastodon_instances=("mastodon.nl", "mastodon.social"),
    phone_formats=(
        "06-1#######",
        "06-2#######",
        "+31 6 4#######",
        "06 5# ## ## ##",
        "+32 47# ## ## ##",
    ),
    email_domains=("example.com", "example.org", "example.net"),
    iban_country="NL",
    decimal_comma=True,
    money="€ {amount}",
    clock_24h=True,
    outlets=("Het Digitale Dagblad", "Netwerk Nieuws"),
)
