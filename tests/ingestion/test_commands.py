import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.ingestion.conftest import clear, write
from tests.ingestion.test_importers import TWCS_HEADER, TWCS_ROWS, canonical_lines
from tocsin.cli import app
from tocsin.db import make_engine
from tocsin.ingestion.models import Post

runner = CliRunner()
SCHEMA = Path(__file__).parents[2] / "docs" / "canonical-post.schema.json"


@pytest.fixture
def db(fresh_database_url, monkeypatch, tmp_path):
    clear(fresh_database_url)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    return fresh_database_url


def tocsin(db_url, *args):
    return runner.invoke(app, list(args), env={"TOCSIN_DATABASE_URL": db_url})


def stored_posts(db_url):
    engine = make_engine(db_url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Post))
    engine.dispose()
    return count


def test_import_jsonl_reports_rejected_lines_and_a_summary(db, tmp_path):
    lines = list(canonical_lines(25))
    lines[3] = '{"platform": "x", "external_id": "bad", "created_at": "tomorrow"}'
    lines[10] = "not json at all"
    path = write(tmp_path / "posts.jsonl", "\n".join(lines))

    first = tocsin(db, "import", str(path))

    assert first.exit_code == 0, first.output
    assert "│ imported   │ 23 │" in first.stdout
    assert "│ rejected   │  2 │" in first.stdout
    assert "line 4: created_at: Input should be a valid datetime" in first.stdout
    assert "line 11: Invalid JSON" in first.stdout
    assert stored_posts(db) == 23

    second = tocsin(db, "import", str(path), "--format", "jsonl", "--batch-size", "7")
    assert second.exit_code == 0
    assert "│ duplicates │ 23 │" in second.stdout
    assert stored_posts(db) == 23


def test_only_the_first_twenty_rejections_are_listed(db, tmp_path):
    path = write(tmp_path / "junk.jsonl", "\n".join(f"junk {i}" for i in range(30)))

    result = tocsin(db, "import", str(path))

    assert result.exit_code == 1  # everything was rejected
    assert "line 20: Invalid JSON" in result.stdout
    assert "line 21:" not in result.stdout
    assert "… and 10 more rejected line(s)" in result.stdout


def test_import_csv_with_map_and_set(db, tmp_path):
    path = write(
        tmp_path / "reviews.csv",
        "id,body,date,stars\nr1,Late and cold,02/03/2026,1\nr2,Lovely staff,03/03/2026,5\n",
    )

    result = tocsin(
        db,
        "import",
        str(path),
        "--map",
        "external_id=id",
        "--map",
        "text=body",
        "--map",
        "created_at=date",
        "--set",
        "platform=review",
        "--date-format",
        "%d/%m/%Y",
    )

    assert result.exit_code == 0, result.output
    assert "│ imported   │ 2 │" in result.stdout
    assert stored_posts(db) == 2


def test_import_twcs_is_recognised_from_its_header(db, tmp_path):
    path = write(tmp_path / "support.csv", TWCS_HEADER + TWCS_ROWS)

    result = tocsin(db, "import", str(path))

    assert result.exit_code == 0, result.output
    assert "│ imported   │ 5 │" in result.stdout
    assert "line 6: inbound: expected True or False, found 'maybe'" in result.stdout
    assert "created 1 brand(s): PetShopHelp" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "jsonl", "--map", "text=body"], "only apply to --format csv"),
        (["--format", "csv", "--set", "platform=x"], "nothing gives 'created_at'"),
        (
            [
                "--format",
                "csv",
                "--map",
                "text=nope",
                "--set",
                "platform=x",
                "--set",
                "created_at=2026-01-01",
            ],
            "'nope' not in the file",
        ),
        (["--format", "twcs"], "not a TWCS file"),
    ],
)
def test_usage_mistakes_are_one_line_errors(db, tmp_path, args, message):
    path = write(tmp_path / "data.csv", "a,b\n1,2\n")

    result = tocsin(db, "import", str(path), *args)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_uninitialised_database_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "posts.jsonl", next(canonical_lines(1)))

    result = tocsin(f"sqlite:///{tmp_path / 'new.db'}", "import", str(path))

    assert result.exit_code == 2
    assert "error: the database is not initialised; run: tocsin init" in result.output


def test_published_json_schema_is_up_to_date():
    result = runner.invoke(app, ["schema", "--output", str(SCHEMA), "--check"])

    assert result.exit_code == 0, "run: tocsin schema -o docs/canonical-post.schema.json"
    schema = json.loads(SCHEMA.read_text())
    assert schema["title"] == "CanonicalPost"
    assert {"platform", "external_id", "created_at"} == set(schema["required"])


def test_schema_check_notices_a_stale_file(tmp_path):
    stale = write(tmp_path / "schema.json", "{}\n")

    assert runner.invoke(app, ["schema", "-o", str(stale), "--check"]).exit_code == 1
    assert runner.invoke(app, ["schema", "-o", str(stale)]).exit_code == 0
    assert runner.invoke(app, ["schema", "-o", str(stale), "--check"]).exit_code == 0
