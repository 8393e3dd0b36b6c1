"""Portuguese cues (European and Brazilian)."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="pt",
    interrogatives=(
        "como", "porque", "por que", "porquê", "quando", "onde", "quem", "que", "o que",
        "qual", "quais", "quanto", "quantos", "posso", "podem", "poderiam", "ha", "tem",
        "alguem", "voces", "vcs",
    ),
    question_phrases=(
        "como posso", "como faco para", "alguem sabe", "podem me dizer", "podem dizer-me",
        "gostaria de saber", "queria saber", "e possivel",
    ),
    complaint=(
        "ainda nao", "nunca chegou", "nunca recebi", "nao recebi", "nao chegou", "continuo a espera",
        "continuo esperando", "inaceitavel", "vergonhoso", "vergonha", "ridiculo", "pessimo",
        "pessima", "o pior", "a pior", "decepcionado", "decepcionada", "desiludido", "farto",
        "farta", "cansado de", "golpe", "burla", "fraude", "nao funciona", "parou de funcionar",
        "avariado", "estragado", "quebrado", "defeito", "danificado", "sem resposta",
        "ninguem responde", "cobrado duas vezes", "cobraram duas vezes", "atraso", "atrasado",
        "perderam", "nunca mais", "obrigado por nada", "absurdo", "revoltado", "revoltada",
    ),
    praise=(
        "obrigado", "obrigada", "muito obrigado", "muito obrigada", "otimo", "otima",
        "excelente", "perfeito", "perfeita", "adoro", "amei", "adorei", "parabens",
        "maravilhoso", "fantastico", "incrivel", "muito satisfeito", "muito satisfeita", "top",
    ),
    request=(
        "por favor", "pfv", "pf", "podem", "poderiam", "preciso", "quero", "queria",
        "gostaria", "ajudem-me", "me ajudem", "ajuda", "contactem-me", "me liguem",
        "enviem-me", "me mandem", "por dm", "no privado", "por mensagem privada",
    ),
    refund=(
        "reembolso", "reembolsar", "reembolsem", "devolucao do dinheiro", "devolvam o meu dinheiro", "meu dinheiro",
        "o meu dinheiro", r"estorn\w*", r"indemniza\w*", r"indeniza\w*",
    ),
    cancellation=(
        "cancelar", "cancelem", "cancelamento", "anular", "rescindir", "rescisao", "encerrar a minha conta",
        "encerrar minha conta", "apagar a minha conta",
    ),
    exchange=("trocar", "troquem", "troca", "substituir", "substituicao", "um novo", "uma nova"),
    legal_threat=(
        r"advogad[oa]s?", "processar", "vou processar", "processo judicial", "tribunal", "justica", "queixa",
        "acao judicial", "livro de reclamacoes", "procon", "deco", "reclame aqui",
    ),
    blackmail=(
        r"ou (entao )?(eu )?(publico|vou publicar|posto|vou postar|divulgo|vou divulgar|"
        r"partilho|compartilho|conto|escrevo|exponho)\w*",
        r"senao,? (eu )?(publico|vou publicar|posto|divulgo|partilho|compartilho|conto|"
        r"exponho)\w*",
        r"(publicar|divulgar|partilhar|compartilhar|postar)\w* (isto|isso|tudo) "
        r"(em todo lado|em todo o lado|em todo lugar|nas redes)",
        r"a menos que (me )?(reembolsem|paguem|devolvam|substituam)",
    ),
    safety=(
        r"ferid[oa]s?", r"queimad\w*", r"queimadura\w*", "incendio", "pegou fogo", "em chamas",
        "saiu fumo", "saiu fumaca", r"explod\w*", "explosao", "choque eletrico",
        "eletrocutado", "reacao alergica", "alergia", "anafilatico", "intoxicacao",
        "intoxicacao alimentar", "passei mal", "fiquei doente", r"vomit\w*", "hospital",
        "urgencia", "urgencias", "pronto-socorro", "engasguei", "pedaco de vidro",
        "vidro no", "bolor", "mofo", "cru", "perigoso", "perigosa", "fuga de gas",
        "vazamento de gas",
    ),
    spam=(
        "segue-me", "me segue", "sigo de volta", "follow back", "ganhar dinheiro",
        "renda passiva", "rendimento passivo", "link na bio", "codigo promocional",
        "dinheiro facil", "chama no whatsapp", "investimento garantido",
    ),
    spam_weak=(
        "cripto", "crypto", "bitcoin", "nft", "forex", "sorteio", "gratis", "gratuito",
        "clique", "promo", "desconto", "telegram", "lucro",
    ),
    risk={
        "legal": (r"advogad[oa]s?", "processar", "tribunal", "queixa", "acao judicial"),
        "recall": ("recolha de produto", "recall", "retirada do mercado", "alerta alimentar"),
        "media": (r"jornalistas?", "a imprensa", "comunicacao social", "reportagem"),
        "regulator": ("deco", "asae", "procon", "anvisa", "reclame aqui",
                      "livro de reclamacoes"),
    },
)
