"""The storylines: every kind of post, threads, poaching, the rumour, the crisis, personal data."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from stdnum import iban

from tocsin.demo.brands import LUMIO, NORDWAVE, VELTRA
from tocsin.demo.dataset import DEMO_TIME_ZONE

TZ = ZoneInfo(DEMO_TIME_ZONE)
REGION = {"en": "IE", "fr": "FR", "es": "ES", "nl": "NL"}


def _day(week, moment) -> int:
    return (moment.astimezone(TZ).date() - week.start.astimezone(TZ).date()).days


def test_every_kind_and_topic_of_post_is_there(week):
    kinds = Counter(i.kind for i in week.items)
    for kind in ("question", "complaint", "praise", "neutral", "spam", "request", "legal_threat",
                 "blackmail", "safety", "rumour", "poaching", "brand_reply", "follow_up",
                 "brand_post", "review", "news"):  # fmt: skip
        assert kinds[kind] > 0, kind
    topics = {(i.kind, i.topic) for i in week.items}
    for topic in ("billing", "roaming", "coverage", "cancel"):
        assert ("question", topic) in topics
    for topic in ("outage", "slow_fibre", "billing_error", "rude_support", "router_delivery"):
        assert ("complaint", topic) in topics
    for topic in ("refund", "cancellation"):
        assert ("request", topic) in topics
    spam_authors = {i.post.author.handle: i.post.author for i in week.items if i.kind == "spam"}
    assert all(a.is_automated for a in spam_authors.values())


def test_the_blackmail_and_safety_posts_say_what_they_are(week):
    blackmail = [i.post.text.lower() for i in week.items if i.kind == "blackmail"]
    assert any("everywhere" in t or "partout" in t or "overal" in t for t in blackmail)
    safety = [
        i.post.text.lower()
        for i in week.items
        if i.kind == "safety" and not i.post.parent_external_id
    ]
    assert any("router" in t or "box" in t or "modem" in t for t in safety)


def test_brand_replies_answer_in_the_customers_language_after_a_realistic_delay(week):
    by_key = {(i.post.platform, i.post.external_id): i for i in week.items}
    replies = [i for i in week.items if i.kind == "brand_reply"]
    assert len(replies) > 200
    delays = []
    for reply in replies:
        post = reply.post
        assert post.direction == "outbound" and post.parent_external_id
        parent = by_key[(post.platform, post.parent_external_id)]
        assert parent.post.direction == "inbound"
        assert reply.lang == parent.lang
        assert post.author.handle == {"lumio": LUMIO, "veltra": VELTRA, "nordwave": NORDWAVE}[
            reply.brand
        ].handle(post.platform)
        assert post.thread_external_id in (parent.post.thread_external_id, parent.post.external_id)
        delays.append((post.created_at - parent.post.created_at).total_seconds() / 60)
    assert min(delays) > 0
    assert 5 < statistics.median(delays) < 180
    assert max(delays) > 6 * 60  # night posts wait for the morning shift


def test_customers_follow_up_on_the_brands_reply(week):
    by_key = {(i.post.platform, i.post.external_id): i for i in week.items}
    follow_ups = [i for i in week.items if i.kind == "follow_up"]
    assert len(follow_ups) > 50
    for item in follow_ups:
        parent = by_key[(item.post.platform, item.post.parent_external_id)]
        assert parent.kind == "brand_reply"
        assert item.post.created_at > parent.post.created_at


def test_competitors_court_people_who_complain_about_lumio(week):
    by_key = {(i.post.platform, i.post.external_id): i for i in week.items}
    poaching = [i for i in week.items if i.kind == "poaching"]
    assert len(poaching) >= 30
    assert {i.brand for i in poaching} == {"veltra", "nordwave"}
    for item in poaching:
        competitor = VELTRA if item.brand == "veltra" else NORDWAVE
        assert item.post.author.handle == competitor.handle(item.post.platform)
        assert competitor.name in item.post.text
        parent = by_key[(item.post.platform, item.post.parent_external_id)]
        assert parent.brand == "lumio" and parent.kind == "complaint"
        assert parent.post.created_at < item.post.created_at


def test_a_false_rumour_spreads_in_several_languages_on_days_3_to_6(week):
    rumour = [i for i in week.items if i.kind == "rumour"]
    assert len(rumour) >= 100
    assert {_day(week, i.post.created_at) for i in rumour} <= {2, 3, 4, 5}
    assert len({i.lang for i in rumour}) == 4
    assert {"data", "plans", "doubt", "debunk"} <= {i.topic for i in rumour}
    texts = " ".join(i.post.text.lower() for i in rumour)
    assert "browsing" in texts and "anciens forfaits" in texts
    statements = [i for i in week.items if i.topic == "rumour_statement"]
    assert statements and all(i.post.direction == "outbound" for i in statements)


def test_the_day_5_crisis_bursts_to_more_than_ten_times_the_median_hour(week):
    stats = week.stats()
    hourly = week.hourly_counts()
    peak_hour = max(range(len(hourly)), key=hourly.__getitem__)
    assert peak_hour // 24 == 4  # day 5
    assert stats.crisis_peak_ratio >= 10
    start = week.milestones["crisis_start"]
    assert _day(week, start) == 4
    # it rises over about two hours
    first_hour = sum(
        1 for i in week.items if start <= i.post.created_at < start + timedelta(hours=1)
    )
    peak = max(hourly[peak_hour - 1 : peak_hour + 2])
    assert first_hour < peak / 2
    crisis = [i for i in week.items if i.scenario == "crisis" and i.post.direction == "inbound"]
    langs = Counter(i.lang for i in crisis)
    assert (langs["fr"] + langs["nl"]) / len(crisis) >= 0.7
    hashtags = ("#lumiodown", "#pannelumio", "#lumioenpanne", "#lumiostoring", "#caídalumio")
    tagged = [i for i in crisis if any(h in i.post.text.lower() for h in hashtags)]
    assert len(tagged) / len(crisis) > 0.5
    seen_before = {i.post.author.handle for i in week.items if i.post.created_at < start}
    new = [i for i in crisis if i.post.author.handle not in seen_before]
    assert len(new) / len(crisis) > 0.5
    everyday = [i.post.engagement.reposts for i in week.items if i.scenario == "background"]
    assert statistics.mean(i.post.engagement.reposts for i in crisis) > 3 * statistics.mean(
        everyday
    )


def test_posts_with_personal_data_carry_valid_local_numbers_emails_orders_and_ibans(week):
    carrying = [i for i in week.items if i.pii]
    assert len(carrying) >= 100
    found = Counter(kind for i in carrying for kind in i.pii)
    assert {"phone", "email", "order", "iban"} <= set(found)
    for item in carrying:
        text = item.post.text + " " + (item.post.title or "")
        if "phone" in item.pii:
            numbers = list(phonenumbers.PhoneNumberMatcher(text, REGION[item.lang]))
            assert numbers, text
            assert all(phonenumbers.is_valid_number(m.number) for m in numbers), text
        if "email" in item.pii:
            assert re.search(r"[\w.]+@example\.(com|org|net)", text), text
        if "order" in item.pii:
            assert re.search(r"\b(LM|VT|NW)-\d{6}\b", text), text
        if "iban" in item.pii:
            match = re.search(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})+(?: ?[A-Z0-9]{1,3})?", text)
            assert match and iban.is_valid(match.group()), text
    formats = {"+33 6", "06 ", "+34 6", "06-"}
    phones = " ".join(i.post.text for i in carrying if "phone" in i.pii)
    assert all(f in phones for f in formats)
