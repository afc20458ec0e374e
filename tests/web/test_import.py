"""Importing YAML design files over the API, and the demo account ``make run`` creates."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from designer.fabric.document import load_text, to_data
from designer.models import Design

from .base import stored_state
from .conftest import example_text


def test_import_a_multipart_file_with_its_own_name(client_for, people):
    upload = SimpleUploadedFile("egress.yaml", example_text("egress-gateways").encode(), content_type="text/yaml")
    response = client_for("outsider").post("/api/designs/import/", {"file": upload, "name": "Cloud egress"},
                                           format="multipart")
    assert response.status_code == 201
    assert (response.data["name"], response.data["role"]) == ("Cloud egress", "owner")
    assert response.data["document"] == to_data(load_text(example_text("egress-gateways")))


def test_import_a_raw_yaml_body(client_for, people):
    response = client_for("outsider").generic("POST", "/api/designs/import/", example_text("ganeti-bonds"),
                                              content_type="text/yaml")
    assert response.status_code == 201
    assert response.data["name"] == "ganeti-bonds"
    assert response.data["slug"] == "ganeti-bonds"


def test_import_of_broken_yaml_says_which_line_and_stores_nothing(client_for, people):
    before = stored_state()
    response = client_for("outsider").generic("POST", "/api/designs/import/", "name: pod\ndevices: [\n  - id: a\n",
                                              content_type="application/yaml")
    assert response.status_code == 400
    assert response.data["problems"][0]["path"].startswith("line ")
    assert "malformed YAML" in response.data["problems"][0]["message"]
    assert stored_state() == before


def test_import_of_an_invalid_design_names_the_field(client_for, people):
    upload = SimpleUploadedFile("bad.yaml", b"name: pod\ndevices:\n  - {id: a, name: a, role: toaster}\n")
    response = client_for("outsider").post("/api/designs/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "devices[0].role" in [problem["path"] for problem in response.data["problems"]]
    assert not Design.objects.exists()


def test_import_of_a_file_that_is_not_utf8_names_the_file_and_stores_nothing(client_for, people):
    latin1 = "name: café\n".encode("latin-1")
    client = client_for("outsider")
    upload = SimpleUploadedFile("pod.yaml", latin1)
    answers = [client.post("/api/designs/import/", {"file": upload}, format="multipart"),
               client.generic("POST", "/api/designs/import/", latin1, content_type="text/yaml")]
    for response in answers:
        assert response.status_code == 400
        assert response.data["problems"][0]["path"] == "file"
        assert "not UTF-8" in response.data["problems"][0]["message"]
    assert not Design.objects.exists()


def test_import_without_a_file_names_the_missing_field(client_for, people):
    response = client_for("outsider").post("/api/designs/import/", {"name": "x"}, format="multipart")
    assert response.status_code == 400
    assert response.data["problems"][0]["path"] == "file"


def test_demo_owns_every_example_once_and_signs_in(db, capsys):
    call_command("demo", "--password", "a demo pass phrase", "--url", "http://127.0.0.1:8123/")
    call_command("demo", "--password", "a demo pass phrase")  # a second make run loads nothing twice
    printed = capsys.readouterr().out
    assert "Sign in at http://127.0.0.1:8123/ as user 'demo' with password 'a demo pass phrase'" in printed
    assert sorted(Design.objects.filter(owner__username="demo").values_list("name", flat=True)) == [
        "egress-gateways", "ganeti-bonds", "proxmox-cluster", "proxmox-evpn", "wireguard-mesh"]
    from django.test import Client

    assert Client().login(username="demo", password="a demo pass phrase")
