"""Intent detection: the n-gram hasher, the complaint model (with its transfer to French,
Spanish and Dutch), and the multilingual cue rules.  Every example is written by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tocsin.enrichment.base import BatchContext, Enrichment, PostInput
from tocsin.enrichment.intent import (
    ComplaintModel,
    IntentEnricher,
    IntentRules,
    default_complaint_model,
    hash_ngrams,
    normalise_for_model,
)
from tocsin.enrichment.lexicons import fold, lexicon_matcher


def run_rules(text: str, lang: str = "en", **rules: object) -> Enrichment:
    """The rule half only: no embedder, so complaint comes from cues."""
    enricher = IntentEnricher(model=None, rules=IntentRules(**rules))  # type: ignore[arg-type]
    result = Enrichment(post_id="1", lang=lang)
    enricher.enrich(
        [PostInput(id="1", text=text)], [result], BatchContext(texts=[text], embedder=None)
    )
    return result


def kinds(result: Enrichment) -> set[str]:
    return {f"{h.name}/{h.subtype}" if h.subtype else h.name for h in result.intents}


# --- features -------------------------------------------------------------------------------


def test_fold_strips_accents_and_straightens_apostrophes() -> None:
    assert (
        fold("Où est-ÇA ? J’ai été REMBOURSÉ, Straße") == "ou est-ca ? j'ai ete rembourse, strasse"
    )


def test_normalise_generalises_handles_links_and_digits() -> None:
    text = normalise_for_model("@Acme_Help  Order #AB-12345  https://t.co/xyz")
    assert text == "@user order #ab-00000 http"


def test_hash_ngrams_is_per_document_and_stable() -> None:
    together = hash_ngrams(["abc", "xyz"])
    alone = [hash_ngrams([t]) for t in ("abc", "xyz")]
    for doc in (0, 1):
        mask = together[0] == doc
        assert sorted(together[1][mask]) == sorted(alone[doc][1])
    again = hash_ngrams(["abc", "xyz"])
    assert np.array_equal(together[1], again[1])
    # " abc " has 4 bigrams, 3 trigrams, 2 four-grams and one five-gram: weights 1/sqrt(10)
    assert int((together[0] == 0).sum()) == 10
    assert np.allclose(together[2][together[0] == 0], 1 / np.sqrt(10))


def test_complaint_model_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    model = ComplaintModel(
        emb_weights=rng.normal(size=8).astype(np.float32),
        hash_weights=rng.normal(size=64).astype(np.float32),
        bias=-0.25,
        threshold=0.5,
        version="test-1",
        embedder="fake",
        metrics={"f1": 0.5},
    )
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = ComplaintModel.load(path)
    embeddings = rng.normal(size=(2, 8)).astype(np.float32)
    texts = ["it broke", "lovely day"]
    assert loaded.version == "test-1"
    assert np.allclose(loaded.decision(texts, embeddings), model.decision(texts, embeddings))


def test_missing_model_file_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"training\.intent"):
        ComplaintModel.load(tmp_path / "none.npz")


# --- the shipped complaint model -------------------------------------------------------------

COMPLAINTS = {
    "en": [
        "@acme my package was supposed to arrive on monday and it's still not here",
        "third time my internet has dropped today, I pay for this?",
        "been on hold for 50 minutes, your customer service is a joke",
    ],
    "fr": [
        "@acme ma commande devait arriver lundi et je n'ai toujours rien reçu",
        "troisième coupure d'internet aujourd'hui, je paie pour ça ?",
        "50 minutes d'attente au téléphone, votre service client est une blague",
    ],
    "es": [
        "@acme mi paquete tenía que llegar el lunes y todavía no ha llegado",
        "tercera vez que se me cae internet hoy, ¿y pago por esto?",
        "50 minutos esperando al teléfono, vuestro servicio al cliente es un chiste",
    ],
    "nl": [
        "@acme mijn pakket zou maandag komen en het is er nog steeds niet",
        "derde keer vandaag dat mijn internet uitvalt, en hier betaal ik voor?",
        "50 minuten in de wacht, jullie klantenservice is een grap",
    ],
}
NOT_COMPLAINTS = {
    "en": [
        "just picked up my new bike from @acme, can't wait to ride it this weekend",
        "does anyone know what time the store opens on sunday?",
        "watching the match tonight with friends",
    ],
    "fr": [
        "je viens de récupérer mon nouveau vélo chez @acme, hâte de rouler ce week-end",
        "quelqu'un sait à quelle heure ouvre le magasin le dimanche ?",
        "on regarde le match ce soir entre amis",
    ],
    "es": [
        "acabo de recoger mi bici nueva en @acme, qué ganas de salir este finde",
        "¿alguien sabe a qué hora abre la tienda el domingo?",
        "viendo el partido esta noche con amigos",
    ],
    "nl": [
        "net mijn nieuwe fiets opgehaald bij @acme, kan niet wachten om dit weekend te rijden",
        "weet iemand hoe laat de winkel op zondag opengaat?",
        "vanavond de wedstrijd kijken met vrienden",
    ],
}


@pytest.fixture(scope="module")
def complaint_probability() -> object:
    from tocsin.enrichment.embedding import default_embedder

    model = default_complaint_model()
    embedder = default_embedder()

    def predict(texts: list[str]) -> np.ndarray:
        return model.predict_proba(texts, embedder.embed(texts))

    return predict


@pytest.mark.parametrize("lang", ["en", "fr", "es", "nl"])
def test_complaint_model_separates_complaints_in_each_language(
    complaint_probability: object, lang: str
) -> None:
    predict = complaint_probability
    positives = predict(COMPLAINTS[lang])  # type: ignore[operator]
    negatives = predict(NOT_COMPLAINTS[lang])  # type: ignore[operator]
    threshold = default_complaint_model().threshold
    assert (positives >= threshold).sum() >= 2, positives
    assert (negatives < threshold).all(), negatives
    assert positives.mean() > negatives.mean() + 0.3


def test_shipped_model_records_its_cross_validation() -> None:
    model = default_complaint_model()
    assert model.metrics["f1"] >= 0.8
    assert model.hash_weights.shape == (2**17,)


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("When will my order ship?", "en", True),
        ("Hi, can you help me with my account?", "en", True),
        ("How do I reset my password", "en", True),
        ("Seriously?", "en", False),
        ("I paid 80 euros for this?", "en", False),
        ("Vous livrez quand ?", "fr", True),
        ("Est-ce que le magasin est ouvert demain", "fr", True),
        ("Sérieux ?", "fr", False),
        ("¿Tenéis talla M?", "es", True),
        ("Hoe kan ik mijn adres wijzigen?", "nl", True),
        ("Wann kommt mein Paket?", "de", True),
    ],
)
def test_question_needs_more_than_a_question_mark(text: str, lang: str, expected: bool) -> None:
    result = run_rules(text, lang)
    assert result.has_intent("question") is expected
    if expected:
        assert result.needs_reply


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Refund me or I post this everywhere", "en"),
        ("Remboursez-moi ou je poste ça partout", "fr"),
        ("Devolvedme el dinero o lo publico en todas partes", "es"),
        ("Geld terug of ik zet dit overal op social media", "nl"),
    ],
)
def test_blackmail_is_a_threat_with_a_refund_request(text: str, lang: str) -> None:
    result = run_rules(text, lang)
    assert "threat/blackmail" in kinds(result)
    assert result.needs_reply
    cues = " ".join(result.explanations["intent"])
    assert "threat/blackmail" in cues


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm calling my lawyer tomorrow", "en"),
        ("Mon avocat va vous envoyer une mise en demeure", "fr"),
        ("Voy a hablar con mi abogado", "es"),
        ("Ik schakel een advocaat in", "nl"),
        ("Ich gehe zum Anwalt", "de"),
    ],
)
def test_legal_threats(text: str, lang: str) -> None:
    assert "threat/legal" in kinds(run_rules(text, lang))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The charger caught fire on my desk", "en"),
        ("Allergic reaction after eating your 'nut free' bar", "en"),
        ("Intoxication alimentaire après votre salade", "fr"),
        ("Mi hijo acabó en urgencias después de comer esto", "es"),
        ("Voedselvergiftiging na jullie kipsalade", "nl"),
    ],
)
def test_safety_risks(text: str, lang: str) -> None:
    result = run_rules(text, lang)
    assert result.has_intent("safety")
    assert result.needs_reply


@pytest.mark.parametrize(
    ("text", "lang", "subtype"),
    [
        ("I want a refund for the broken kettle", "en", "refund"),
        ("Please cancel my subscription", "en", "cancellation"),
        ("Can I exchange these shoes for a bigger size", "en", "exchange"),
        ("Je veux résilier mon abonnement", "fr", "cancellation"),
        ("Quiero un reembolso", "es", "refund"),
        ("Ik wil de schoenen omruilen", "nl", "exchange"),
    ],
)
def test_request_subtypes(text: str, lang: str, subtype: str) -> None:
    assert f"request/{subtype}" in kinds(run_rules(text, lang))


def test_past_events_are_not_requests() -> None:
    assert "request/refund" not in kinds(run_rules("They refunded me within a day, great", "en"))
    assert "request/cancellation" not in kinds(run_rules("Mon vol a été annulé", "fr"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Follow for follow!! f4f, can you help?", "en"),
        ("@acme https://example.com/deal https://example.com/x ??", "en"),
        ("Free bitcoin giveaway, click here. Can you believe it?", "en"),
        ("Gagnez de l'argent avec la crypto, code promo en bio. Pourquoi attendre ?", "fr"),
    ],
)
def test_spam_never_needs_a_reply(text: str, lang: str) -> None:
    result = run_rules(text, lang)
    assert result.has_intent("spam")
    assert not result.needs_reply


def test_weak_spam_words_do_not_silence_a_complaint() -> None:
    result = run_rules("Your free crypto wallet lost my savings, this is a scam", "en")
    assert result.complaint
    assert not result.has_intent("spam")
    assert result.needs_reply


def test_praise_replies_only_when_configured() -> None:
    result = run_rules("Thank you for the quick delivery, amazing service", "en")
    assert kinds(result) == {"praise"}
    assert not result.needs_reply
    assert run_rules("Merci pour tout, au top !", "fr", reply_to_praise=True).needs_reply


def test_praise_is_not_sarcasm_over_a_complaint() -> None:
    result = run_rules("Thanks for nothing, still waiting for my parcel", "en")
    assert result.complaint
    assert not result.has_intent("praise")


def test_every_intent_carries_its_cue() -> None:
    result = run_rules("Mon colis n'est toujours pas arrivé, remboursez-moi svp", "fr")
    assert result.complaint
    assert all(hit.cue for hit in result.intents)
    assert any('"toujours pas"' in line for line in result.explanations["intent"])


def test_plain_chatter_has_no_intent() -> None:
    result = run_rules("Watching the game tonight", "en")
    assert result.intents == []
    assert not result.needs_reply


def test_every_lexicon_compiles() -> None:
    for lang in ("en", "fr", "es", "nl", "de", "it", "pt"):
        matcher = lexicon_matcher(lang)
        assert matcher is not None
        assert {"complaint", "safety", "blackmail", "legal_threat", "spam"} <= set(matcher.patterns)
    assert lexicon_matcher("xx") is None
