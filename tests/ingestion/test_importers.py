import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.ingestion.conftest import post_count, stored, write
from tocsin.brands.models import Brand
from tocsin.ingestion.importers import (
    CsvFileError,
    CsvMapping,
    CsvMappingReader,
    JsonlReader,
    MappingError,
    TwcsReader,
    import_twcs,
    run_import,
)

N = 2000


def canonical_lines(n, start=0):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    platforms = ["x", "bluesky", "mastodon", "reddit", "review"]
    for i in range(start, start + n):
        yield json.dumps(
            {
                "platform": platforms[i % len(platforms)],
                "external_id": f"p{i}",
                "text": f"Order {i} is late again",
                "created_at": (base + timedelta(minutes=i)).isoformat(),
                "author": {"handle": f"customer{i % 97}", "followers": i % 500},
                "lang": ["en", "fr", "es"][i % 3],
                "engagement": {"likes": i % 13},
            }
        )


def test_jsonl_stores_exactly_n_then_only_duplicates(session, session_factory, tmp_path):
    path = write(tmp_path / "posts.jsonl", "\n".join(canonical_lines(N)) + "\n")
    before = post_count(session)

    first = run_import(session_factory=session_factory, records=JsonlReader(path))
    assert (first.imported, first.duplicates, first.rejected) == (N, 0, 0)
    assert post_count(session) == before + N

    second = run_import(session_factory=session_factory, records=JsonlReader(path))
    assert (second.imported, second.updated, second.duplicates) == (0, 0, N)
    assert post_count(session) == before + N


def test_jsonl_rejects_bad_lines_with_their_numbers(session, session_factory, tmp_path):
    good = list(canonical_lines(3))
    lines = [good[0], "{not json", "", good[1], '{"platform": "myspace"}', good[2]]
    reader = JsonlReader(write(tmp_path / "mixed.jsonl", "\ufeff" + "\n".join(lines)))

    summary = run_import(session_factory=session_factory, records=reader, batch_size=2)

    assert (summary.imported, summary.rejected) == (3, 2)
    assert [r.line for r in summary.rejections] == [2, 5]
    assert summary.rejections[0].reason.startswith("Invalid JSON")
    assert summary.rejections[1].reason.startswith("platform:")
    assert reader.bytes_read == reader.total_bytes


REVIEWS = """review_id,stars,body,posted,reviewer
r-1,1,"Cold food, late driver",05/02/2026 18:20,Ann
r-2,5,"Great!
Second line of the same review",06/02/2026 09:00,
r-3,2,Wrong date,2026-02-07,Carl
r-4,3,missing field
r-5,4,Fine,07/02/2026 10:15,Dee
"""


def test_csv_with_a_mapping(session, session_factory, tmp_path):
    mapping = CsvMapping.build(
        maps=["external_id=review_id", "text=body", "created_at=posted", "author=reviewer"],
        sets=["platform=review", "kind=review", "author=anonymous"],
        date_formats=["%d/%m/%Y %H:%M"],
    )
    reader = CsvMappingReader(write(tmp_path / "reviews.csv", REVIEWS), mapping)

    summary = run_import(session_factory=session_factory, records=reader)

    assert (summary.imported, summary.rejected) == (3, 2)
    assert [(r.line, r.reason) for r in summary.rejections] == [
        (5, "created_at: '2026-02-07' matches no date format (%d/%m/%Y %H:%M)"),
        (6, "3 fields where the header has 5"),
    ]
    multi = stored(session, "review", "r-2")
    assert multi.text == "Great!\nSecond line of the same review"
    assert multi.author.handle == "anonymous"  # --set gives a default for empty cells
    assert multi.kind == "review"
    assert stored(session, "review", "r-1").created_at == datetime(2026, 2, 5, 18, 20, tzinfo=UTC)


def test_csv_without_ids_derives_them_so_reimport_is_idempotent(session_factory, tmp_path):
    path = write(
        tmp_path / "mentions.csv",
        "when;who;what;likes\n"
        "2026-02-01T10:00:00+01:00;ann;Is the app down?;3\n"
        "1770000000;bob;Still down;x\n",
    )
    mapping_file = write(
        tmp_path / "mapping.toml",
        '[map]\ncreated_at = "when"\nauthor = "who"\ntext = "what"\nlikes = "likes"\n'
        '[set]\nplatform = "forum"\n',
    )
    mapping = CsvMapping.build(mapping_file=mapping_file)

    def run():
        reader = CsvMappingReader(path, mapping, delimiter=";")
        return run_import(session_factory=session_factory, records=reader)

    first = run()
    assert (first.imported, first.rejected) == (1, 1)
    assert first.rejections[0].line == 3
    assert first.rejections[0].reason.startswith("engagement.likes:")
    assert run().duplicates == 1


def test_csv_mapping_mistakes_are_explained(tmp_path):
    with pytest.raises(MappingError, match="unknown field 'body'"):
        CsvMapping.build(maps=["body=text"], sets=["platform=x", "created_at=2026-01-01"])
    with pytest.raises(MappingError, match="nothing gives 'platform'"):
        CsvMapping.build(maps=["created_at=date"])
    with pytest.raises(MappingError, match="unknown platform 'myspace'"):
        CsvMapping.build(maps=["created_at=date"], sets=["platform=myspace"])
    with pytest.raises(MappingError, match="write FIELD=VALUE"):
        CsvMapping.build(maps=["text"], sets=["platform=x"])
    mapping = CsvMapping.build(maps=["created_at=date", "text=body"], sets=["platform=x"])
    with pytest.raises(MappingError, match="'body' not in the file; its columns are: date, txt"):
        CsvMappingReader(write(tmp_path / "a.csv", "date,txt\n"), mapping)
    with pytest.raises(CsvFileError, match="no header"):
        CsvMappingReader(write(tmp_path / "empty.csv", ""), mapping)


TWCS_HEADER = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)
# A made-up conversation: a brand's answer comes before the tweet it answers, and one thread
# is three levels deep.
TWCS_ROWS = (
    "501,PetShopHelp,False,Mon Mar 02 10:05:00 +0000 2026,"
    '"@9001 Sorry about that, can you DM us the order number?",502,500\n'
    "500,9001,True,Mon Mar 02 10:00:00 +0000 2026,@PetShopHelp my parcel never came,501,\n"
    "502,9001,True,Mon Mar 02 10:07:00 +0000 2026,@PetShopHelp done,503,501\n"
    "503,PetShopHelp,False,Mon Mar 02 10:09:00 +0000 2026,@9001 Thanks! Refund sent.,,502\n"
    "600,9002,maybe,Mon Mar 02 11:00:00 +0000 2026,@PetShopHelp hello,,\n"
    "601,9002,True,2026-03-02 11:00,@PetShopHelp hello again,,\n"
    '700,9003,True,Mon Mar 02 12:00:00 +0000 2026,@PetShopHelp is anyone there?,"701,702",\n'
)


def test_twcs_rebuilds_threads_and_marks_brand_replies(session, session_factory, tmp_path):
    path = write(tmp_path / "twcs.csv", TWCS_HEADER + TWCS_ROWS)

    summary = import_twcs(session_factory=session_factory, path=path, batch_size=2)

    assert (summary.imported, summary.rejected) == (5, 2)
    assert [r.line for r in summary.rejections] == [6, 7]
    assert summary.rejections[0].reason == "inbound: expected True or False, found 'maybe'"
    assert summary.notes == ["created 1 brand(s): PetShopHelp"]
    brand = session.scalar(select(Brand).where(Brand.slug == "petshophelp"))
    assert brand.handles == [{"platform": "x", "handle": "PetShopHelp"}]

    root, answer = stored(session, "x", "500"), stored(session, "x", "501")
    assert (root.direction, root.kind, root.parent_external_id) == ("inbound", "post", None)
    assert answer.direction == "outbound" and answer.author.brand_id == brand.id
    assert answer.created_at == datetime(2026, 3, 2, 10, 5, tzinfo=UTC)
    for tweet_id, parent in (("500", None), ("501", "500"), ("502", "501"), ("503", "502")):
        post = stored(session, "x", tweet_id)
        assert (post.parent_external_id, post.thread_external_id) == (parent, "500")
    assert stored(session, "x", "700").replies == 2

    again = import_twcs(session_factory=session_factory, path=path)
    assert (again.imported, again.updated, again.duplicates) == (0, 0, 5)
    assert again.notes == []


def test_twcs_refuses_a_file_with_other_columns(tmp_path):
    with pytest.raises(CsvFileError, match="not a TWCS file"):
        TwcsReader(write(tmp_path / "other.csv", "id,text\n1,hello\n"))
