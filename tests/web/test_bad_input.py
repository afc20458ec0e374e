"""Bad bodies at the web edge: each is refused in the problems shape, as JSON, never with a server error,
and nothing is stored; the design list and the designs already there read as before."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from designer.models import Design

from .base import stored_state
from .conftest import example_text

DEEP = ("[" * 5000 + "]" * 5000).encode()
# Within what the JSON reader takes (1,024 levels), deeper than the rest of the server could follow.
DEEP_FIELD = b'{"description": ' + b"[" * 1020 + b"]" * 1020 + b', "record": {"version": 1, "allocations": {"a": ' + \
    b'{"b": ' + b"[" * 1000 + b"]" * 1000 + b"}}}}"
# As JSON text: a lone surrogate can only be written as an escape; NUL and ESC too, but a client may send either.
BAD_TEXT = {"surrogate": r"\ud800", "NUL": r"\u0000", "ESC": r"\u001B"}


def refused(response, status: int = 400) -> dict:
    """The problems shape, as a person reading the answer sees it."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    answer = json.loads(response.content.decode("utf-8"))  # strictly: a lone surrogate cannot be in it
    assert set(answer) == {"problems", "more"}
    assert answer["problems"] and all(problem["message"] for problem in answer["problems"])
    return answer


def paths(answer: dict) -> list[str]:
    return [problem["path"] for problem in answer["problems"]]


def body_operations() -> list[tuple[str, str]]:
    """Every API operation that reads a body, from the API's own schema: new endpoints are covered too."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in schema["paths"].items() for method, operation in item.items()
            if method in ("post", "put", "patch") and "requestBody" in operation]


def fillable(path: str) -> bool:
    """Whether ``url_of`` gives every id in ``path`` a real object: the design's own, or none needed."""
    return set(re.findall(r"\{(\w+)\}", path)) <= {"id", "design_pk"} and (
        "{" not in path or path.startswith("/api/designs/"))


def url_of(path: str, design) -> str:
    return path.replace("{id}", str(design.pk)).replace("{design_pk}", str(design.pk))


def with_text(document: dict, escaped: str) -> bytes:
    """The design document as JSON text, its description holding ``escaped`` written as a JSON escape."""
    marked = json.dumps({**document, "description": "three nodes MARK"})
    return marked.replace("MARK", escaped).encode()


@pytest.mark.parametrize("kind", BAD_TEXT)
def test_a_document_holding_text_no_database_can_store_is_refused_and_nothing_stored(design, client_for, kind):
    api = client_for("owner")
    document = with_text(design.current_revision.document, BAD_TEXT[kind]).decode()
    bodies = {
        "/api/designs/": f'{{"name": "copy", "document": {document}}}',
        f"/api/designs/{design.pk}/revisions/": f'{{"base_revision": {design.current_revision_id}, '
                                                f'"document": {document}}}',
        "/api/compile/plan/": f'{{"document": {document}}}',
    }
    before = stored_state()
    for url, body in bodies.items():
        answer = refused(api.generic("POST", url, body, content_type="application/json"))
        if kind != "surrogate":  # the JSON reader refuses a lone surrogate before any path exists
            assert "document.description" in paths(answer), answer
    assert stored_state() == before
    assert api.get(f"/api/designs/{design.pk}/").status_code == 200
    assert api.get("/api/designs/").json()["count"] == 1


@pytest.mark.parametrize("character", ["\x00", "\x1b"])
def test_a_yaml_import_holding_a_control_character_names_its_line_and_stores_nothing(people, client_for,
                                                                                   character):
    lines = example_text("proxmox-evpn").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines) if text.startswith("description:"))
    lines[line] = lines[line][:20] + character + lines[line][20:]
    text = "".join(lines).encode()
    where = f"line {line + 1}, column 21"
    api = client_for("outsider")
    before = stored_state()
    answers = [api.generic("POST", "/api/designs/import/", text, content_type="text/yaml"),
               api.post("/api/designs/import/", {"file": SimpleUploadedFile("pod.yaml", text)}, format="multipart")]
    for response in answers:
        assert paths(refused(response)) == [where]
    browser = Client()
    browser.force_login(people["outsider"])
    page = browser.post("/designs/import/", {"file": SimpleUploadedFile("pod.yaml", text)})
    assert page.status_code == 400 and where in page.content.decode()
    assert stored_state() == before


@pytest.mark.parametrize("name", ["a\x01b", "two\nlines", "tab\there"])
def test_a_design_name_is_one_line_of_printable_text(design, client_for, name):
    api = client_for("owner")
    before = stored_state()
    assert paths(refused(api.post("/api/designs/", {"name": name}, format="json"))) == ["name"]
    assert paths(refused(api.patch(f"/api/designs/{design.pk}/", {"name": name}, format="json"))) == ["name"]
    assert stored_state() == before


@pytest.mark.parametrize("body", [DEEP, DEEP_FIELD], ids=["5,000 deep", "1,020 deep in a field"])
def test_every_endpoint_that_reads_a_body_refuses_json_nested_too_deep(design, client_for, body):
    operations = body_operations()
    assert ("POST", "/api/compile/plan/") in operations and ("POST", "/api/auth/token/") in operations
    before = stored_state()
    for caller in ("owner", None):
        api = client_for(caller)
        for method, path in operations:
            response = api.generic(method, url_of(path, design), body, content_type="application/json")
            if caller is None and response.status_code == 401:
                continue  # refused before the body is read
            if response.status_code == 404 and not fillable(path):
                continue  # an object other than a design, looked up (and not found) before the body is read
            expected = 415 if path.endswith("/import/") else 400  # the import takes YAML files, not JSON
            refused(response, expected)
    assert stored_state() == before


def test_malformed_bodies_of_every_kind_answer_the_problems_shape(design, client_for):
    api = client_for("owner")
    malformed = [("POST", "/api/designs/", b'{"name": "x",', "application/json"),
                 ("POST", "/api/designs/", b'{"name": "\xff"}', "application/json"),
                 ("POST", "/api/designs/import/", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n",
                  "multipart/form-data; boundary=x"),
                 ("POST", "/api/designs/import/", b"anything", "multipart/form-data"),
                 ("POST", "/api/designs/import/", b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n'
                  b"a\x00b\r\n--x--\r\n", "multipart/form-data; boundary=x"),
                 ("PATCH", f"/api/designs/{design.pk}/", b"name=renamed", "application/x-www-form-urlencoded"),
                 ("POST", "/api/designs/", b"<design/>", "application/xml")]
    before = stored_state()
    for method, url, body, content_type in malformed:
        response = api.generic(method, url, body, content_type=content_type)
        refused(response, 415 if content_type in ("application/xml", "application/x-www-form-urlencoded") else 400)
    assert stored_state() == before


def test_a_body_over_the_size_limit_answers_413_in_the_problems_shape_whatever_its_kind(design, client_for, people,
                                                                                       settings):
    settings.MAX_REQUEST_BYTES = 2**20
    large = example_text("proxmox-evpn").encode() + b"#" * 2**20 + b"\n"
    api = client_for("owner")
    before = stored_state()
    answers = [
        api.generic("POST", "/api/designs/import/", large, content_type="text/yaml"),
        api.post("/api/designs/import/", {"file": SimpleUploadedFile("big.yaml", large)}, format="multipart"),
        api.generic("POST", "/api/designs/", json.dumps({"name": "big", "description": "x" * 2**20}),
                    content_type="application/json"),
        api.generic("PATCH", f"/api/designs/{design.pk}/", b"description=" + b"x" * 2**20,
                    content_type="application/x-www-form-urlencoded"),
    ]
    for response in answers:
        (problem,) = refused(response, 413)["problems"]
        assert "this server takes at most 1.0 MB" in problem["message"]
    browser = Client()
    browser.force_login(people["owner"])
    page = browser.post("/designs/import/", {"file": SimpleUploadedFile("big.yaml", large)})
    assert page.status_code == 413 and "this server takes at most 1.0 MB" in page.content.decode()
    assert stored_state() == before


def test_a_design_of_3000_nodes_fits_in_a_json_body(client_for, people):
    from designer.fabric.document import to_data
    from designer.fabric.generate import leaf_spine

    document = to_data(leaf_spine(spines=2, leaves=125, hypervisors_per_leaf=24, name="big"))
    body = json.dumps({"name": "big", "document": document}, indent=1)
    assert len(body) > 2.5 * 2**20  # over Django's own default limit
    response = client_for("outsider").generic("POST", "/api/designs/", body, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    assert len(response.json()["document"]["devices"]) == 3127


def test_problems_are_capped_at_100_and_say_how_many_more_there_were(client_for, people):
    # 90,000 aliases of one device: 180,000 problems (each a duplicate id and name).
    text = "name: aliases\ndevices:\n  - &d {id: a, name: a, role: leaf, platform: frr}\n" + "  - *d\n" * 89_999
    response = client_for("outsider").generic("POST", "/api/designs/import/", text, content_type="text/yaml")
    answer = refused(response)
    assert len(answer["problems"]) == 100
    assert answer["more"] == 2 * 89_999 - 100
    assert len(response.content) < 50_000
    assert not Design.objects.exists()


def test_an_id_that_is_no_number_answers_a_json_404(design, client_for):
    api = client_for("owner")
    for url in ("/api/designs/abc/", f"/api/designs/{design.pk}/revisions/x/", "/api/jobs/1.5/", "/api/nowhere/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_a_key_that_is_no_field_of_the_body_is_named(design, client_for):
    api = client_for("owner")
    before = stored_state()
    answer = refused(api.post("/api/designs/", {"name": "x", "colour": "blue"}, format="json"))
    assert paths(answer) == ["colour"]
    answer = refused(api.patch(f"/api/designs/{design.pk}/", {"nmae": "typo"}, format="json"))
    assert paths(answer) == ["nmae"]
    # A review and a push run: a misspelt option is named, never silently dropped (a push without its rules).
    answer = refused(api.post(f"/api/designs/{design.pk}/reviews/", {"title": "x", "reviewer": ["bob"]},
                              format="json"))
    assert paths(answer) == ["reviewer"]
    answer = refused(api.post(f"/api/designs/{design.pk}/push-runs/", {"rule": {"canary": 1}}, format="json"))
    assert paths(answer) == ["rule"]
    assert stored_state() == before


@pytest.mark.parametrize(("url", "body", "path"), [
    ("/api/designs/{pk}/reviews/", {"title": "x", "draft": 0}, "draft"),
    ("/api/designs/{pk}/reviews/", {"title": 0}, "title"),
    ("/api/designs/{pk}/review-scopes/", {"name": "frr", "paths": [0]}, "paths"),
    ("/api/designs/{pk}/review-policy/", {"required_approvals": True, "gate_exports": False}, "required_approvals"),
    ("/api/designs/{pk}/review-policy/", {"required_approvals": 1, "gate_exports": False, "gate": True}, "gate"),
    ("/api/designs/{pk}/push-runs/", {"rules": {}, "timing": []}, "timing"),
])
def test_a_value_of_another_json_type_than_its_field_is_named_and_nothing_changes(design, client_for, url, body,
                                                                                  path):
    api = client_for("owner")
    before = stored_state()
    method = api.put if url.endswith("policy/") else api.post
    answer = refused(method(url.format(pk=design.pk), body, format="json"))
    assert paths(answer) == [path]
    assert stored_state() == before


@pytest.mark.parametrize("query", ["revision=&revision=1", "revision=", "revision=1&revision=1"])
def test_a_query_parameter_given_twice_or_empty_is_bad_input(design, client_for, query):
    answer = refused(client_for("owner").get(f"/api/designs/{design.pk}/plan/?{query}"))
    assert paths(answer) == ["revision"]


@pytest.mark.parametrize("query", ["vrf=%00", "vrf=blue%1b", "%00=1", "vrf=blue&node=%C2%85"])
def test_a_control_character_in_the_query_is_refused_before_anything_is_looked_up(design, client_for, people,
                                                                                 query):
    answer = refused(client_for("owner").get(f"/api/designs/{design.pk}/diagrams/physical.dot?{query}"))
    (problem,) = answer["problems"]
    assert problem["path"].startswith("?")
    assert re.search(r"the query holds (a NUL character|a control character) \(U\+00[0-9A-F]{2}\)", problem["message"])
    browser = Client()
    browser.force_login(people["owner"])
    page = browser.get(f"/designs/{design.pk}/?{query}")
    assert page.status_code == 400 and b"That request was refused" in page.content
