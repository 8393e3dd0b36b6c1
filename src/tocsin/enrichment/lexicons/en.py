"""English cues (also checked on every post: English is social media's second language).

Terms are folded before matching (see :func:`tocsin.enrichment.lexicons.fold`); write regex
escapes in lower case only (``\\w``, ``\\s``), since folding lower-cases the pattern too.
"""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="en",
    interrogatives=(
        "how", "what", "when", "where", "why", "who", "which", "whom", "whose",
        "can", "could", "would", "will", "should", "is", "are", "am", "was", "were",
        "do", "does", "did", "have", "has", "any", "anyone", "anybody", "is there",
        "u", "ur", "pls", "please",
    ),
    question_phrases=(
        "how do i", "how can i", "how to", "does anyone know", "anyone know", "can you tell me",
        "could you tell me", "i was wondering", "i wonder if", "what is the status",
        "any update on", "any news on", "is it possible to", "do you know",
    ),
    complaint=(
        "never arrived", "never received", "still waiting", "still not", "still hasn't",
        "still haven't", "not received", "hasn't arrived", "didn't arrive", "worst",
        "terrible", "horrible", "awful", "disgusting", "disgraceful", "unacceptable",
        "ridiculous", "appalling", "pathetic", "useless", "disappointed", "disappointing",
        "fed up", "sick of", "not happy", "unhappy", "poor service", "bad service",
        "rude", "scam", "ripped off", "rip off", "overcharged", "charged twice",
        "double charged", "broken", "damaged", "doesn't work", "does not work",
        "not working", "stopped working", "won't work", "no response", "no reply",
        "nobody answers", "on hold for", "waste of", "lost my", "delayed again", "cancelled my",
        "thanks for nothing", "shame on you", "never again", "faulty", "defective", "missing",
    ),
    praise=(
        "thank you", "thanks", "thx", "love", "loved", "loving", "great", "amazing",
        "awesome", "excellent", "fantastic", "brilliant", "perfect", "wonderful",
        "well done", "kudos", "best", "superb", "outstanding", "impressed", "delighted",
        "happy with", "shout ?out", "big up", "cheers", "legend", "lifesaver",
    ),
    request=(
        "please", "pls", "plz", "can you", "could you", "can u", "would you", "i need",
        "i want", "i'd like", "i would like", "help me", "need help", "dm me", "contact me",
        "call me", "email me", "get back to me", "send me", "sort (it|this) out", "fix (it|this)",
    ),
    refund=(
        r"refund(ing|s)?", "money back", "reimburse( me)?", "reimbursement", "give me back my money",
        "compensation", "compensate me", "chargeback", "pay me back",
    ),
    cancellation=(
        "cancel", "cancelling", "canceling", "cancellation", "unsubscribe", "close my account", "delete my account",
        r"terminat\w* (my|the) (contract|subscription|account|plan)", "end my subscription",
        "stop my subscription",
    ),
    exchange=(
        "exchange", "replacement", "replace (it|this|them|my)", "swap (it|this|them)", "send (me )?(a )?new one",
        "return (it|this|them) for",
    ),
    legal_threat=(
        r"sue|suing|sued", "lawsuit", r"lawyers?", r"attorneys?", r"solicitors?",
        "legal action", "take (you|this) to court", "see you in court", "small claims",
        "class action", "trading standards", "report(ed)? you to", "ombudsman",
    ),
    blackmail=(
        r"or (else )?i('ll| will|'m going to| am going to| am gonna|'m gonna)? "
        r"(post|share|spread|tweet|tell|expose|put|leave|write|go public)\w*",
        r"(otherwise|or else),? i('ll| will)? (post|share|spread|tweet|expose|tell|go)\w*",
        r"(post|share|spread|put) (this|it) (everywhere|all over)",
        r"unless (you|u) (refund|pay|reimburse|compensate|fix|replace)\w*",
        r"i('ll| will) make (this|it) go viral", r"i('ll| will) keep posting",
    ),
    safety=(
        "injured", "injury", "got hurt", "burned me", "burnt me", "burns", "caught fire",
        "burst into flames", "fire hazard", "started a fire", "smoke came out",
        "exploded", "explosion", "electric shock", "electrocuted", "allergic reaction",
        "anaphylaxis", "anaphylactic", "food poisoning", "got sick after", "made me sick",
        "vomiting", "threw up", "hospital", "emergency room", "a&e", "choked", "choking",
        "glass in", "metal in", "mould", "mold", "undercooked", "raw chicken", "rash",
        "carbon monoxide", "gas leak", "unsafe", "dangerous",
    ),
    spam=(
        "follow for follow", "f4f", "follow back", "followback", "follow me back",
        "free followers", "buy followers", "gain followers", "check out my", "link in bio",
        "dm for promo", "dm me for promo", "promo code", "earn \\$?\\d+", "make money",
        "passive income", "airdrop", "crypto giveaway", "whatsapp me", "investment opportunity",
        "work from home", "100x", "onlyfans", "click (the|this) link", "limited offer",
    ),
    spam_weak=(
        "crypto", "bitcoin", "btc", "eth", "nft", "forex", "giveaway", "free", "click",
        "subscribe", "profit", "telegram", "income", "\\$\\$+", "promo", "discount",
    ),
    risk={
        "legal": (r"lawyers?", r"attorneys?", r"solicitors?", "lawsuit", "legal action",
                  "class action", "(in|to) court"),
        "recall": ("recall", "recalled", "product recall", "safety notice"),
        "media": (r"journalists?", "reporter", "the press", "newspaper", "tabloid", "bbc", "cnn",
                  "news desk", "going to the media", "watchdog"),
        "regulator": ("trading standards", "ombudsman", "ftc", "fda", "regulator",
                      "consumer protection", "ofcom", "ofgem", "cma"),
    },
)
