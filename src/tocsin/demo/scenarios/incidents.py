"""Rare posts that must never be missed: legal threats, blackmail and a safety hazard.

They come from repeat complainers (who have a history) on public platforms, at fixed moments of
the week so the demo can point at them; a couple of other customers chime in on the safety one.

Example::

    add_incidents(world)   # 4 legal threats, 3 blackmail attempts, 5 overheating routers
"""

from __future__ import annotations

from datetime import timedelta

from tocsin.demo.scenarios.world import World
from tocsin.demo.text import Draft

#: (kind, day index, local hour, language, platform, personal data)
SCHEDULE = (
    ("legal_threat", 1, 11.2, "fr", "x", None),
    ("legal_threat", 2, 15.7, "en", "facebook", "order"),
    ("legal_threat", 3, 9.4, "es", "x", None),
    ("legal_threat", 5, 13.1, "nl", "facebook", None),
    ("blackmail", 1, 20.6, "en", "x", None),
    ("blackmail", 3, 21.3, "fr", "instagram", None),
    ("blackmail", 5, 19.8, "nl", "x", "phone"),
    ("safety", 1, 21.9, "fr", "x", None),
    ("safety", 2, 7.6, "es", "facebook", "phone"),
    ("safety", 5, 18.4, "en", "x", None),
    ("safety", 5, 22.5, "nl", "bluesky", None),
    ("safety", 6, 8.9, "fr", "facebook", "email"),
)
ECHOES = {
    "en": "Same here, mine gets scary hot too",
    "fr": "Pareil chez moi, la box chauffe énormément",
    "es": "A mí me pasa lo mismo, quema al tocarlo",
    "nl": "Hier precies hetzelfde, het ding gloeit gewoon",
}


def add_incidents(world: World) -> None:
    rng = world.rng("incidents")
    lumio = world.brands["lumio"]
    for kind, day, hour, lang, platform, pii in SCHEDULE:
        persona = world.people.complainer(rng, lang=lang, platform=platform)
        draft, found = world.write(
            rng,
            lang=lang,
            brand=lumio,
            platform=platform,
            author=persona,
            kind="complaint",
            core=f"core.{kind}",
            detail="detail.safety" if kind == "safety" else None,
            pii=pii,
        )
        at = world.day(day, hour)
        item = world.publish(
            rng,
            persona=persona,
            at=at,
            brand="lumio",
            kind=kind,
            topic=kind,
            scenario="incident",
            lang=lang,
            draft=draft,
            pii=found,
        )
        if item is None or kind != "safety":
            continue
        for n in range(rng.randint(1, 3)):
            echo = world.people.pick(rng, lang=lang, platform=platform)
            world.publish(
                rng,
                persona=echo,
                at=at + timedelta(minutes=(n + 1) * rng.uniform(5, 40)),
                brand="lumio",
                kind="safety",
                topic="safety",
                scenario="incident",
                lang=lang,
                draft=Draft(text=f"{ECHOES[lang]} @{lumio.handle(platform)}"),
                post_kind="reply" if platform in ("x", "bluesky") else "comment",
                parent=item.post,
            )
