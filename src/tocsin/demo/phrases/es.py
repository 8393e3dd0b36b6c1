"""Spanish phrases for the demo generator (written for Tocsin; fictional people and places)."""

# Prose reads better unwrapped: long sentences stay on one line.
# ruff: noqa: E501

from __future__ import annotations

from tocsin.demo.phrases import Phrases

BANK: dict[str, tuple[str, ...]] = {
    "opener.question": ("Hola {mention},", "Una pregunta {mention}:", "Buenas {mention},", "Hola,"),
    "opener.complaint": (
        "¿En serio {mention}?",
        "Increíble.",
        "Muy bien {mention}...",
        "Estoy harta.",
        "Otra vez no.",
    ),
    "opener.praise": ("Hay que decirlo:", "¡Gracias {mention}!", "Por una vez,"),
    "opener.request": ("Estimados {mention}:", "{mention}", "Hola {mention},"),
    "opener.neutral": ("Bueno,", "Pregunta tonta:", "Por cierto,"),
    "closer.question": ("¡Gracias!", "¿Alguien sabe?", "Gracias de antemano", "Un saludo."),
    "closer.complaint": (
        "Arregladlo ya.",
        "Nunca más.",
        "Vergonzoso.",
        "¿Alguien lee esto?",
        "Me cambio de compañía.",
    ),
    "closer.praise": ("Bravo.", "Cliente contenta.", "Así sí."),
    "closer.request": ("Gracias.", "Espero confirmación.", "Espero respuesta esta semana."),
    "closer.neutral": ("En fin.", "Solo digo eso.", "Ya veremos."),
    "core.question.billing": (
        "¿por qué mi factura es de {amount} este mes si mi tarifa es de {old_amount}?",
        "¿alguien me explica los {amount} de más en la última factura?",
        "¿cómo descargo las facturas del año pasado?",
        "¿{brand} cobra algo extra si pago por transferencia?",
    ),
    "detail.question.billing": (
        "No he cambiado nada.",
        "La app solo pone «otros cargos».",
        "Las necesito para la declaración.",
    ),
    "core.question.roaming": (
        "¿el roaming está incluido con {brand} si viajo a {country} la semana que viene?",
        "¿tengo que activar algo para usar datos en {country}?",
        "¿cuánto cobra {brand} por llamar desde {country}?",
    ),
    "detail.question.roaming": (
        "Me voy el viernes.",
        "La última vez me llevé un susto con la factura.",
        "Nos vamos {weeks} semanas con los niños.",
    ),
    "core.question.coverage": (
        "¿ya hay 5G de {brand} en {city}?",
        "¿cuándo llega el 5G de {brand} a mi zona, cerca de {city}?",
        "solo me sale 4G en pleno centro de {city}, ¿es normal?",
    ),
    "detail.question.coverage": (
        "El mapa de cobertura dice que sí, mi móvil dice que no.",
        "Estoy pensando en cambiar de móvil por eso.",
        "Mis amigos con otras compañías ya lo tienen.",
    ),
    "core.question.cancel": (
        "¿cómo me doy de baja de {brand}?",
        "¿qué preaviso hay para dejar {brand}?",
        "¿se puede dar de baja online o hay que llamar?",
    ),
    "detail.question.cancel": (
        "Me mudo al extranjero en {weeks} semanas.",
        "No encuentro la opción en la app.",
        "¿Hay que devolver el router?",
    ),
    "core.question.esim": (
        "¿{brand} tiene eSIM para los móviles nuevos?",
        "¿cómo paso mi eSIM de {brand} a un móvil nuevo?",
    ),
    "detail.question.esim": (
        "El código QR ha caducado.",
        "En la tienda me dijeron que preguntara aquí.",
    ),
    "core.question.moving": (
        "me mudo a {city}, ¿puedo llevarme la fibra de {brand}?",
        "¿cuánto tarda {brand} en trasladar la fibra a otra dirección?",
    ),
    "detail.question.moving": (
        "Me dan las llaves el día {days}.",
        "Teletrabajo y no puedo quedarme sin internet.",
    ),
    "core.complaint.outage": (
        "llevo {hours} horas sin internet y {mention} sin decir nada",
        "otra vez caída la fibra de {brand} en {city}",
        "sin internet desde las {time}, y la web de estado de {brand} dice que todo va bien. Pues no.",
        "tercera caída esta semana con {brand}. ¡Que teletrabajo!",
    ),
    "detail.complaint.outage": (
        "Todas las luces del router en naranja.",
        "He reiniciado el router cinco veces.",
        "Toda la calle sin conexión.",
        "Toda la tarde compartiendo datos del móvil.",
    ),
    "core.complaint.slow_fibre": (
        "pago fibra de {promised} Mb y me llegan {speed} Mb. Gracias {brand}",
        "la fibra de {brand} va fatal todas las noches, {speed} Mb como mucho",
        "el test de velocidad marca {speed} Mb con una tarifa de {promised} Mb. ¿Es broma {mention}?",
    ),
    "detail.complaint.slow_fibre": (
        "Con cable directo al router, así que no es el wifi.",
        "A las 3 de la mañana bien, a las 9 de la noche imposible.",
        "Las videollamadas se congelan.",
    ),
    "core.complaint.billing_error": (
        "{brand} me ha cobrado dos veces este mes, {amount} cada vez",
        "me han cobrado {amount} por una tarifa que di de baja hace {weeks} semanas",
        "mi factura ha pasado de {old_amount} a {amount} sin ningún aviso de {brand}",
    ),
    "detail.complaint.billing_error": (
        "Tres llamadas, tres respuestas distintas.",
        "Sigo esperando la devolución que me prometieron.",
        "Referencia del pedido {order}.",
    ),
    "core.complaint.rude_support": (
        "el agente de {brand} me ha colgado. Dos veces.",
        "{minutes} minutos esperando a {brand} para que me digan «no es cosa nuestra»",
        "nunca me habían tratado tan mal como hoy en atención al cliente de {brand}",
    ),
    "detail.complaint.rude_support": (
        "Fui educada todo el rato.",
        "Pedí hablar con un responsable y se rieron.",
        "El chatbot da vueltas en círculo.",
    ),
    "core.complaint.router_delivery": (
        "sigo sin router de {brand}, pedido {order} hecho hace {days} días",
        "{brand} dice que mi router está entregado. Mentira.",
        "el seguimiento de mi router de {brand} lleva {days} días sin moverse",
    ),
    "detail.complaint.router_delivery": (
        "Nadie llamó al timbre, ni aviso ni nada.",
        "La instalación es mañana, así que cita perdida.",
        "La mensajería me manda a la tienda y la tienda a la mensajería.",
    ),
    "core.complaint.mobile_signal": (
        "cero cobertura de {brand} en mi propio piso en {city}",
        "las llamadas con {brand} se cortan cada dos minutos por {city}",
    ),
    "detail.complaint.mobile_signal": (
        "Desde la última actualización.",
        "El móvil de mi pareja con otra compañía va perfecto.",
    ),
    "core.praise.install": (
        "el técnico de {brand} vino, 40 minutos y todo funcionando",
        "fibra instalada hoy por {brand}, puntuales y limpios",
    ),
    "core.praise.support": (
        "{agent} de atención al cliente de {brand} me lo solucionó en una llamada. Un crack.",
        "{brand} me devolvió la llamada cuando dijo que lo haría",
    ),
    "core.praise.speed": (
        "{speed}0 Mb con la fibra de {brand}, nada mal",
        "el 5G de {brand} en {city} vuela",
    ),
    "core.praise.app": (
        "la nueva app de {brand} por fin está bien, encontré la factura en dos toques",
    ),
    "core.neutral.ad": (
        "el anuncio de {brand} con la abuela bailando sale en todas partes",
        "he visto un cartel enorme de {brand} en {city} esta mañana",
    ),
    "core.neutral.switching": (
        "estoy pensando en pasarme a {brand}, ¿opiniones?",
        "¿{brand} o {competitor} para la fibra? ¿qué me recomendáis?",
    ),
    "core.neutral.store": ("la tienda de {brand} en {city} se muda a la calle mayor",),
    "core.neutral.chatter": (
        "mi padre sigue llamando «{brand}» a todas las compañías de internet",
        "dos señores discutiendo sobre {brand} y {competitor} en el metro",
        "{brand} patrocina la maratón de {city} este año, por lo visto",
    ),
    "core.request.refund": (
        "{mention} quiero la devolución de los {days} días sin servicio",
        "devolvedme los {amount} que me cobrasteis por error",
    ),
    "detail.request.refund": (
        "El contrato está a mi nombre, pedido {order}.",
        "Tengo todas las capturas.",
    ),
    "core.request.cancellation": (
        "{mention} por favor dad de baja mi contrato desde hoy",
        "quiero darme de baja de {brand}, ¿qué necesitáis?",
    ),
    "detail.request.cancellation": ("Ya he enviado el burofax.", "No me ofrezcáis descuentos."),
    "core.spam.crypto": (
        "x4 con $LUMX en una semana 🚀 escríbeme para el grupo #{tag} #cripto",
        "¡¡Airdrop gratis para clientes de {brand}!! antes de medianoche 💰 link en la bio",
    ),
    "core.spam.follow": (
        "sígueme y te sigo 100% #{tag} #sigoatodos",
        "1000 seguidores rápido, barato, cuentas reales #{tag}",
    ),
    "core.legal_threat": (
        "{mention} último aviso antes de ir a mi abogado",
        "voy a denunciar a {brand} ante consumo y en los juzgados por esta factura",
    ),
    "core.blackmail": (
        "{mention} devolvedme {amount} antes de esta noche o lo publico en todas partes, grupos, reseñas, todo",
        "un año gratis o la grabación de vuestro agente acaba en todas las redes",
    ),
    "core.safety": (
        "el router de {brand} se calienta tanto que ha derretido la estantería. Huele a plástico quemado en el cuarto de los niños",
        "{mention} el router que me mandasteis está echando humo. Humo de verdad. Lo he desenchufado.",
    ),
    "detail.safety": (
        "Tengo fotos.",
        "¿Es un fallo conocido?",
        "Podría haber provocado un incendio.",
    ),
    "pii.phone": (
        "Llamadme al {phone}.",
        "Mi número es {phone}, a partir de las 17h.",
        "Contacto: {phone}",
    ),
    "pii.email": ("Escribidme a {email}.", "Mi correo es {email}", "Correo: {email}"),
    "pii.order": ("Número de pedido {order}.", "Ref: {order}", "Pedido {order}"),
    "pii.iban": ("Devolución a {iban} por favor.", "Mi IBAN: {iban}"),
    "core.rumour.data": (
        "{brand} vende tu historial de navegación a los anunciantes. Compartid.",
        "me acabo de enterar de que {brand} vende nuestros datos de navegación a empresas de publicidad. Qué asco.",
    ),
    "core.rumour.plans": (
        "{brand} va a eliminar las tarifas antiguas el mes que viene y nos obligarán a pagar más",
        "dicen que {brand} cortará los contratos antiguos sin avisar",
    ),
    "core.rumour.doubt": (
        "¿es verdad que {brand} vende nuestros datos de navegación? ¿Alguien tiene fuente?",
        "¿de verdad {brand} quita las tarifas antiguas? No encuentro nada oficial",
    ),
    "core.rumour.debunk": (
        "lo de que {brand} vende tus datos es un bulo, leed la política de privacidad",
        "gente compartiendo lo de {brand} sin ninguna fuente, en serio",
    ),
    "core.crisis.outage": (
        "¿{brand} caído en todas partes? Sin internet, sin tele, sin datos {hashtag}",
        "todo el barrio sin conexión en {city}, la red de {brand} muerta {hashtag}",
        "{hashtag} no funciona nada, ni el móvil. Gracias por la noche {brand}",
    ),
    "core.crisis.question": (
        "¿{brand} está caído para todos o solo para mí? {hashtag}",
        "¿alguna noticia de {brand}? ¿Cuánto va a durar esto? {hashtag}",
    ),
    "core.crisis.joke": (
        "{brand} caído, he hablado con mi familia por primera vez en años {hashtag}",
        "el router de {brand} parpadeando como pidiendo perdón {hashtag}",
    ),
    "core.crisis.aftermath": (
        "vuelve internet pero {brand} nos debe un descuento después de lo de anoche",
        "caída de {brand}: quiero una compensación por una noche entera sin conexión",
    ),
    "brand.crisis.aware": (
        "Estamos al tanto de una incidencia grave en la red que afecta a internet y móvil. Nuestros equipos ya trabajan en ello. Información: status.lumio.example",
    ),
    "brand.crisis.update": (
        "Actualización: incidencia localizada, el servicio vuelve poco a poco por zonas. Gracias por vuestra paciencia.",
    ),
    "brand.crisis.restored": (
        "El servicio está restablecido en todas partes. Sentimos las molestias; mañana informaremos sobre la compensación.",
    ),
    "brand.statement.rumour": (
        "No vendemos tus datos de navegación a nadie. Nuestra política: lumio.example/privacidad",
    ),
    "brand.post": (
        "Novedad: ¡el 5G ya llega a {city}! Comprueba tu cobertura en la app.",
        "Fibra hasta 2 Gb, desde {amount}/mes. Más información en tienda.",
        "¿Viajas a {country}? El roaming está incluido en todas las tarifas.",
    ),
    "reply.complaint": (
        "Hola {first}, sentimos leer esto. ¿Nos escribes por privado con tu número de cliente para revisar tu línea?",
        "Lo sentimos {first}, no es la experiencia que queremos darte. Escríbenos por privado y lo miramos ahora mismo.",
    ),
    "reply.question.billing": (
        "Hola {first}, suele ser un cargo puntual. Escríbenos por privado y revisamos la factura contigo.",
    ),
    "reply.question.roaming": (
        "Hola {first}, el roaming en la UE está incluido en tu tarifa sin coste extra. ¡Buen viaje!",
    ),
    "reply.question.coverage": (
        "Hola {first}, el 5G llega a tu zona este trimestre. Puedes seguirlo en el mapa de cobertura.",
    ),
    "reply.question.cancel": (
        "Hola {first}, puedes darte de baja en la app, en Cuenta > Mi contrato, o te ayudamos por privado.",
    ),
    "reply.question.esim": (
        "Hola {first}, sí: en la app, Mi línea > eSIM, y tendrás un código QR nuevo al momento.",
    ),
    "reply.question.moving": (
        "Hola {first}, ¡enhorabuena por la mudanza! El traslado tarda unos 10 días, empiézalo en la app.",
    ),
    "reply.request": (
        "Hola {first}, hemos recibido tu solicitud. Escríbenos por privado para tramitarla de forma segura.",
    ),
    "reply.pii": (
        "Hola {first}, por tu seguridad borra el mensaje con tus datos personales; te hemos escrito por privado.",
    ),
    "reply.safety": (
        "{first}, mantén el router desenchufado, por favor. Hoy te enviamos uno nuevo y nuestro equipo de seguridad te llamará.",
    ),
    "reply.legal_threat": (
        "Hola {first}, entendemos tu enfado. Un responsable te contactará hoy para buscar una solución.",
    ),
    "reply.blackmail": (
        "Hola {first}, queremos resolverlo de forma justa. Escríbenos por privado para que un asesor sénior revise tu caso.",
    ),
    "reply.rumour.data": (
        "Hola {first}, no es cierto: no vendemos datos de navegación a anunciantes. Nuestra política: lumio.example/privacidad",
    ),
    "reply.rumour.plans": (
        "Hola {first}, no es cierto: no vamos a eliminar ninguna tarifa antigua. Los hechos: lumio.example/hechos",
    ),
    "reply.praise": ("¡Muchas gracias {first}, se lo pasamos al equipo!",),
    "reply.follow_up": ("Gracias {first}, hemos recibido tu mensaje y nos ponemos con ello.",),
    "followup.dm_sent": (
        "Enviado por privado.",
        "Hecho, mirad los mensajes.",
        "os he mandado mis datos",
    ),
    "followup.still_waiting": (
        "Después de {hours} horas, nada.",
        "Os escribí ayer y sin respuesta.",
    ),
    "followup.thanks": (
        "¡Solucionado, gracias!",
        "Vuelve a funcionar, gracias {agent}.",
        "Gracias, qué rápido.",
    ),
    "followup.angry": (
        "La misma respuesta copiada de la semana pasada.",
        "Un mensaje privado no me arregla internet.",
    ),
    "poach": (
        "¡Qué mal! Pásate a {brand}, el primer mes es gratis 😉",
        "Vaya lío. Con {brand} tendrías {offer}, escríbenos por privado.",
    ),
    "review.title.positive": (
        "Rápidos y amables",
        "Buena fibra, buen precio",
        "Por fin una compañía que contesta",
    ),
    "review.title.negative": (
        "Huid",
        "Pesadilla con las facturas",
        "Tres semanas sin internet",
        "Atención al cliente pésima",
    ),
    "news.title.business": (
        "{brand} lleva el 5G a {city}",
        "{brand} suma más clientes de fibra de lo previsto",
    ),
    "news.body.business": (
        "La operadora asegura que el despliegue seguirá este trimestre, con {city} como siguiente paso.",
    ),
    "news.title.crisis": (
        "Una caída masiva de {brand} deja sin conexión a miles de clientes",
        "Caída de {brand}: lo que sabemos",
    ),
    "news.body.crisis": (
        "Desde primera hora de la noche, los clientes informan de la pérdida de internet, televisión y datos móviles. La operadora dice que trabaja en ello.",
    ),
    "news.title.rumour": ("No, {brand} no vende tu historial de navegación",),
    "news.body.rumour": (
        "Un mensaje compartido miles de veces asegura que la operadora vende historiales de navegación. No hay pruebas de ello.",
    ),
}

PHRASES = Phrases(
    lang="es",
    bank=BANK,
    first_names=(
        "Lucía",
        "Hugo",
        "Martina",
        "Pablo",
        "Sofía",
        "Alejandro",
        "Paula",
        "Daniel",
        "Carmen",
        "Javier",
        "Alba",
        "Sergio",
        "Elena",
        "Diego",
        "Nerea",
        "Iker",
        "Marta",
        "Adrián",
    ),
    last_names=(
        "García",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Ruiz",
        "Díaz",
        "Moreno",
        "Álvarez",
        "Romero",
        "Navarro",
        "Torres",
    ),
    handle_words=(
        "fibra",
        "gato",
        "cafe",
        "madrid",
        "friki",
        "sol",
        "bici",
        "gruñon",
        "cosas",
        "lobo",
    ),
    cities=("Madrid", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga", "Barcelona"),
    countries=("Francia", "Italia", "Grecia", "Portugal", "Marruecos", "México"),
    plans=("Fibra Max", "Móvil 100 GB", "Hogar Esencial"),
    agents=("Lucía", "Álvaro", "Carla", "Jorge"),
    offers=("el primer mes gratis", "el router gratis"),
    slang=(
        ("que", "q"),
        ("por favor", "porfa"),
        ("también", "tb"),
        ("porque", "xq"),
        ("muy", "mu"),
    ),
    crisis_hashtags=("#CaídaLumio", "#LumioCaído"),
    mastodon_instances=("masto.es", "mastodon.social"),
    phone_formats=("+34 6## ### ###", "6## ## ## ##", "+34 71# ### ###"),
    email_domains=("example.com", "example.org", "example.net"),
    iban_country="ES",
    decimal_comma=True,
    money="{amount} €",
    clock_24h=True,
    outlets=("Diario Digital", "Red y Móvil"),
)
