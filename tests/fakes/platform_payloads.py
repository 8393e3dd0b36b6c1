"""Responses shaped like each platform's documented API responses (texts written for tests).

Field names and nesting follow the public API references: Bluesky ``searchPosts`` (PostView),
X API v2 recent search (``data``/``includes.users``/``meta``), Reddit listings
(``Listing``/``t3``/``t1``), RSS 2.0 and Atom documents.
"""

from __future__ import annotations

from typing import Any


def bluesky_search_page(cursor: str | None = None) -> dict[str, Any]:
    return {
        "cursor": cursor,
        "hitsTotal": 2,
        "posts": [
            {
                "uri": "at://did:plc:ana111/app.bsky.feed.post/3lbbbbbbbbb22",
                "cid": "bafyreiexample2",
                "author": {
                    "did": "did:plc:ana111",
                    "handle": "ana.bsky.social",
                    "displayName": "Ana",
                    "avatar": "https://cdn.test/a.jpg",
                    "labels": [],
                    "createdAt": "2024-05-01T10:00:00.000Z",
                },
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "@acme.bsky.social my lamp flickers since the update",
                    "createdAt": "2026-03-01T09:05:00.000Z",
                    "langs": ["en"],
                    "reply": {
                        "root": {"uri": "at://did:plc:acme/app.bsky.feed.post/3lroot", "cid": "r"},
                        "parent": {
                            "uri": "at://did:plc:acme/app.bsky.feed.post/3lroot",
                            "cid": "r",
                        },
                    },
                },
                "replyCount": 1,
                "repostCount": 0,
                "likeCount": 4,
                "quoteCount": 0,
                "indexedAt": "2026-03-01T09:05:01.000Z",
                "labels": [],
            },
            {
                "uri": "at://did:plc:ben222/app.bsky.feed.post/3lbbbbbbbbb11",
                "cid": "bafyreiexample1",
                "author": {"did": "did:plc:ben222", "handle": "ben.test"},
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "Acme support was quick",
                    "createdAt": "2026-03-01T09:00:00.000Z",
                },
                "replyCount": 0,
                "repostCount": 2,
                "likeCount": 9,
                "quoteCount": 1,
                "indexedAt": "2026-03-01T09:00:02.000Z",
            },
        ],
    }


def x_search_page(ids: list[str], *, next_token: str | None = None) -> dict[str, Any]:
    data = [
        {
            "id": tweet_id,
            "text": f"@acme order {tweet_id[-3:]} still not here",
            "author_id": "2244994945",
            "created_at": "2026-03-01T09:00:00.000Z",
            "conversation_id": tweet_id,
            "lang": "en",
            "edit_history_tweet_ids": [tweet_id],
            "public_metrics": {
                "retweet_count": 1,
                "reply_count": 2,
                "like_count": 3,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 50,
            },
        }
        for tweet_id in ids
    ]
    meta: dict[str, Any] = {"result_count": len(ids)}
    if ids:
        meta.update(newest_id=max(ids), oldest_id=min(ids))
    if next_token:
        meta["next_token"] = next_token
    return {
        "data": data,
        "includes": {
            "users": [
                {
                    "id": "2244994945",
                    "name": "Ana Example",
                    "username": "ana_example",
                    "verified": False,
                    "public_metrics": {
                        "followers_count": 321,
                        "following_count": 10,
                        "tweet_count": 99,
                        "listed_count": 1,
                    },
                }
            ]
        },
        "meta": meta,
    }


def reddit_listing(things: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": None,
            "before": None,
            "dist": len(things),
            "modhash": "",
            "children": things,
        },
    }


def reddit_link(n: int, created: float) -> dict[str, Any]:
    return {
        "kind": "t3",
        "data": {
            "id": f"abc{n}",
            "name": f"t3_abc{n}",
            "title": f"Acme kettle problem {n}",
            "selftext": "It stopped heating after two weeks.",
            "author": "kettle_owner",
            "author_fullname": "t2_owner",
            "subreddit": "acmehelp",
            "created_utc": created,
            "permalink": f"/r/acmehelp/comments/abc{n}/acme_kettle_problem/",
            "url": f"https://www.reddit.com/r/acmehelp/comments/abc{n}/",
            "score": 5,
            "num_comments": 1,
            "over_18": False,
        },
    }


def reddit_comment(n: int, created: float) -> dict[str, Any]:
    return {
        "kind": "t1",
        "data": {
            "id": f"c{n}",
            "name": f"t1_c{n}",
            "body": "Same here, Acme replaced mine.",
            "author": "helper",
            "author_fullname": "t2_helper",
            "link_id": "t3_abc1",
            "parent_id": "t3_abc1",
            "subreddit": "acmehelp",
            "created_utc": created,
            "permalink": f"/r/acmehelp/comments/abc1/x/c{n}/",
            "score": 2,
        },
    }


RSS_DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Gadget News</title><link>https://news.test/</link><language>en</language>
<item><title>Acme recalls kettles</title><link>https://news.test/acme-recall</link>
<guid>https://news.test/acme-recall</guid><pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Acme is recalling &lt;b&gt;12,000&lt;/b&gt; kettles.&lt;/p&gt;
</description></item>
<item><title>Other news</title><link>https://news.test/other</link>
<pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate><description>Unrelated</description></item>
</channel></rss>"""

ATOM_ALERT = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:alerts.test,2026:acme</id>
<title>Alert - acme</title><updated>2026-03-01T10:00:00Z</updated>
<entry><id>tag:alerts.test,2026:1</id>
<title type="html">&lt;b&gt;Acme&lt;/b&gt; opens a store</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://blog.test/acme-store&amp;ct=ga"/>
<published>2026-03-01T10:00:00Z</published><updated>2026-03-01T10:00:00Z</updated>
<content type="html">The new &lt;b&gt;Acme&lt;/b&gt; store opens Monday.</content></entry>
</feed>"""
