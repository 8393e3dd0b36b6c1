from fastapi.testclient import TestClient


def test_health_is_public_and_checks_the_database(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_openapi_lists_the_api_and_the_batch_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/posts" in schema["paths"]
    body = schema["paths"]["/api/v1/posts"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["anyOf"][0]["items"]["$ref"] == "#/components/schemas/CanonicalPost"
    assert "CanonicalPost" in schema["components"]["schemas"]
    assert schema["paths"]["/api/v1/health"]["get"]["security"] == []


def test_workers_start_with_the_app_and_stop_with_it(
    settings, session_factory, monkeypatch
) -> None:
    from tocsin.web.app import create_app
    from tocsin.workers import inprocess

    events: list[str] = []

    class FakeWorkers:
        def stop(self) -> None:
            events.append("stop")

    def fake_start(given_settings, factory):
        assert given_settings is settings and factory is session_factory
        events.append("start")
        return FakeWorkers()

    monkeypatch.setattr(inprocess, "start", fake_start)
    app = create_app(settings, run_workers=True, session_factory=session_factory)
    with TestClient(app) as c:
        assert events == ["start"]
        assert c.get("/api/v1/health").status_code == 200
    assert events == ["start", "stop"]
    with TestClient(create_app(settings, session_factory=session_factory)):
        pass
    assert events == ["start", "stop"]  # run_workers=False starts nothing
