"""Spanish cues (folded: ``reembolso`` also matches ``REEMBOLSÓ`` once folded)."""

from tocsin.enrichment.lexicons import Lexicon

LEXICON = Lexicon(
    lang="es",
    interrogatives=(
        "como", "por que", "porque", "cuando", "donde", "quien", "quienes", "que", "cual",
        "cuales", "cuanto", "cuanta", "cuantos", "puedo", "pueden", "podrian", "podria",
        "hay", "tienen", "es posible", "alguien",
    ),
    question_phrases=(
        "como puedo", "como hago para", "alguien sabe", "me podrian decir", "me pueden decir",
        "quisiera saber", "me gustaria saber", "sabeis si", "saben si",
    ),
    complaint=(
        "todavia no", "aun no", "nunca llego", "nunca recibi", "no ha llegado", "no me ha llegado",
        "no llega", "sigo esperando", "inaceptable", "vergonzoso", "verguenza", "lamentable",
        "pesimo", "pesima", "horrible", "fatal", "el peor", "la peor", "decepcionado",
        "decepcionada", "decepcion", "harto", "harta", "estafa", "estafadores", "timo",
        "no funciona", "ha dejado de funcionar", "roto", "rota", "averiado", "defectuoso",
        "danado", "sin respuesta", "nadie responde", "nadie contesta", "mal servicio",
        "cobrado dos veces", "me cobraron", "retraso", "perdido mi", "nunca mas",
        "gracias por nada", "una mierda", "indignado", "indignada",
    ),
    praise=(
        "gracias", "muchas gracias", "genial", "excelente", "increible", "me encanta",
        "encantado", "encantada", "perfecto", "perfecta", "enhorabuena", "felicidades",
        "maravilloso", "fantastico", "buenisimo", "de lujo", "un crack", "los mejores",
        "muy contento", "muy contenta", "chapo",
    ),
    request=(
        "por favor", "porfa", "pueden", "podrian", "necesito", "quiero", "quisiera",
        "me gustaria", "ayudenme", "ayuda", "contactadme", "contactenme", "llamadme",
        "escribidme", "mandadme", "enviadme", "por dm", "por privado",
    ),
    refund=(
        "reembolso", "reembolsar", "reembolsen", "reembolsadme", "devolucion del dinero", "devuelvan mi dinero", "devolvedme el dinero",
        "mi dinero", r"indemniza\w*", "compensacion", "me devuelvan",
    ),
    cancellation=(
        "cancelar", "cancelen", "cancelacion", "darme de baja", "dar de baja", "baja del servicio", "anular",
        "anulacion", "cerrar mi cuenta", "borrar mi cuenta", "rescindir",
    ),
    exchange=("cambiar", "cambiarlo", "cambiarmelo", "cambio de", "reemplazar", "reemplazo", "sustituir", "sustitucion", "uno nuevo"),
    legal_threat=(
        r"abogad[oa]s?", "demandar", "demandare", "demandaremos", "os voy a demandar", "les voy a demandar", "demanda judicial", "denuncia", "denunciar", "denunciare", "tribunales",
        "juzgado", "juicio", "accion legal", "acciones legales", "via judicial", "facua",
        "ocu", "consumo", "hoja de reclamaciones",
    ),
    blackmail=(
        r"o (si no )?(lo |la |los )?(publico|publicare|subo|subire|difundo|difundire|cuento|"
        r"contare|pongo|pondre|escribo|escribire|comparto|compartire)\b",
        r"si no,? (lo |la |los )?(publico|publicare|subo|subire|difundo|difundire|cuento|"
        r"contare|pongo|pondre|comparto|compartire)\b",
        r"(publicar|difundir|subir|compartir)\w* (esto|lo) (por todas partes|en todas partes|"
        r"en redes)",
        r"a menos que (me )?(devuelvan|reembolsen|paguen|compensen)\w*",
        "hacerlo viral",
    ),
    safety=(
        r"herid[oa]s?", "lesion", r"quemad\w*", "quemadura", "incendio", r"se incendi\w*",
        "salio humo", "exploto", "explosion", "descarga electrica", "electrocut",
        "reaccion alergica", "alergia", "anafilaxia", "intoxicacion", "intoxicacion alimentaria",
        "me puse malo", "me puse enfermo", r"vomit\w*", "hospital", "urgencias",
        "me atragante", "trozo de cristal", "cristal en", "trozo de metal", "moho",
        "crudo", "peligroso", "peligrosa", "fuga de gas",
    ),
    spam=(
        "sigueme", "te sigo si me sigues", "follow back", "ganar dinero", "ingresos pasivos",
        "link en bio", "enlace en bio", "codigo promocional", "dinero facil",
        "escribeme por whatsapp", "inversion garantizada",
    ),
    spam_weak=(
        "cripto", "crypto", "bitcoin", "nft", "forex", "sorteo", "gratis", "haz clic",
        "promo", "descuento", "telegram", "ganancias",
    ),
    risk={
        "legal": (r"abogad[oa]s?", "demandar", "demanda judicial", "denuncia", "tribunales", "juzgado",
                  "accion legal", "acciones legales"),
        "recall": ("retirada del mercado", "retirada de producto", "alerta sanitaria",
                   "alerta alimentaria"),
        "media": (r"periodistas?", "la prensa", "medios de comunicacion", "reportaje",
                  "telediario", "el pais"),
        "regulator": ("facua", "ocu", "consumo", "aesan", "hoja de reclamaciones"),
    },
)
