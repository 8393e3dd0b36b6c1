from sqlalchemy import select

from tocsin.accounts.models import Role
from tocsin.brands.models import Brand


def test_roles_seeded_and_rollback(session):
    assert {r.name for r in session.scalars(select(Role))} == {
        "admin",
        "manager",
        "agent",
        "viewer",
    }
    session.add(Brand(slug="acme", name="Acme"))
    session.commit()
    assert session.scalar(select(Brand).where(Brand.slug == "acme")) is not None


def test_previous_test_was_rolled_back(session):
    assert session.scalar(select(Brand).where(Brand.slug == "acme")) is None
