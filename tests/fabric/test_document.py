"""Loading designs: bad input is an error that names the exact path, good input round-trips."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.fabric.document import dump_yaml, load_file, load_text, to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.plan import plan
from designer.fabric.spec import json_schema
from designer.fabric.text import FORBIDDEN, MAX_DEPTH, data_problems
from tests.conftest import EXAMPLES, load_example


def base() -> dict:
    return to_data(load_example("proxmox-evpn"))


def problems(data) -> list[tuple[str, str]]:
    with pytest.raises(DesignError) as caught:
        validate(data)
    return [(p.path, p.message) for p in caught.value.problems]


def test_examples_round_trip_through_yaml(example_name):
    design = load_file(EXAMPLES / f"{example_name}.yaml")
    assert load_text(dump_yaml(design)) == design


def test_malformed_yaml_names_line_and_column():
    with pytest.raises(DesignError) as caught:
        load_text("name: x\ndevices:\n  - id: a\n   name: b\n", source="broken.yaml")
    text = str(caught.value)
    assert text.startswith("broken.yaml: line 4, column")
    assert "malformed YAML" in text


def test_duplicate_keys_are_refused_not_overwritten():
    with pytest.raises(DesignError, match=r"line 3, column 1: .*duplicate mapping key: 'name'"):
        load_text("name: a\ndevices: []\nname: b\n")


def test_route_target_like_values_stay_strings():
    # YAML 1.1 would read 65000:100 as a sexagesimal number; the document is read as YAML 1.2.
    data = load_text("name: rt\nvrfs:\n  - id: v\n    name: red\n    route_targets:\n      import: [65000:100]\n")
    assert data.vrfs[0].route_targets.import_ == ["65000:100"]


def test_unknown_key_is_an_error_at_its_path():
    data = base()
    data["devices"][2]["nics"][1]["colour"] = "blue"
    assert problems(data) == [("devices[2].nics[1].colour", "unknown key 'colour'")]


@pytest.mark.parametrize("key", ["a[b", "", "int"])
def test_unknown_keys_that_look_like_anything_are_still_named(key):
    data = base()
    data["devices"][0][key] = 1
    assert problems(data) == [(f"devices[0].{key}", f"unknown key '{key}'")]


def test_wrong_type_is_an_error_at_its_path():
    data = base()
    data["mtu"]["underlay"] = "jumbo"
    ((path, message),) = problems(data)
    assert path == "mtu.underlay" and "integer" in message


def test_prefix_with_host_bits_says_what_was_meant():
    data = base()
    data["pools"]["loopback_v4"] = "10.255.254.7/24"
    assert problems(data) == [("pools.loopback_v4", "'10.255.254.7/24' has host bits set: did you mean "
                               "10.255.254.0/24?")]


def test_malformed_prefix_is_an_error():
    data = base()
    data["networks"][2]["subnet"] = "192.168.300.0/24"
    assert problems(data)[0][0] == "networks[2].subnet"


def test_dangling_bond_member_names_the_exact_path():
    data = copy.deepcopy(to_data(load_example("ganeti-bonds")))
    data["devices"][3]["bonds"][0]["members"][1] = "eno9"
    assert problems(data) == [("devices[3].bonds[0].members[1]", "'eno9' is not a NIC of ganeti2")]


def test_dangling_references_of_every_kind_are_reported_together():
    data = base()
    data["links"][0]["b"]["device"] = "leaf9"
    data["networks"][0]["attach"][1] = {"device": "pve7"}
    data["devices"][0]["rack"] = "rack9"
    found = dict(problems(data))
    assert found == {
        "links[0].b.device": "no device with id 'leaf9'",
        "networks[0].attach[1].device": "no device with id 'pve7'",
        "devices[0].rack": "no rack with id 'rack9'",
    }


def test_the_same_bad_attachment_in_several_networks_is_named_in_each():
    # an attachment that repeats across networks is validated once; each place it is wrong is still named
    data = base()
    for network in data["networks"][:2]:
        network["attach"] += ["pve 9", {"device": "pve1", "colour": "blue"}]
    found = problems(data)
    for index in (0, 1):
        end = len(data["networks"][index]["attach"])
        assert (f"networks[{index}].attach[{end - 2}].device",
                "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'") in found
        assert (f"networks[{index}].attach[{end - 1}].colour", "unknown key 'colour'") in found


def test_vnis_on_the_same_devices_are_each_checked_for_them():
    # equal lists of attachments are validated and checked once (a large fabric's VNIs are all on the same
    # thousands of hypervisors); one that names a device that does not exist is named wherever it is
    data = base()
    assert data["networks"][0]["attach"] == data["networks"][1]["attach"]
    for network in data["networks"][1:]:
        network["attach"].append({"device": "pve7"})
    found = problems(data)
    assert found == [(f"networks[{index}].attach[3].device", "no device with id 'pve7'") for index in (1, 2, 3)]
    for network in data["networks"][1:]:
        del network["attach"][-1]
    design = validate(data)
    assert [n.device_ids for n in design.networks] == [("pve1", "pve2", "pve3")] * 4
    assert design.networks[0].attach[0] is design.networks[3].attach[0]  # one model for each attachment


def test_attachments_written_either_way_plan_the_same():
    data = base()
    bare = copy.deepcopy(data)
    for network in bare["networks"]:
        network["attach"] = [a["device"] if a.keys() == {"device"} else a for a in network["attach"]]
    assert bare != data
    assert plan(validate(bare)) == plan(validate(data))


def test_link_to_a_nic_the_device_does_not_have():
    data = base()
    data["links"][1]["b"]["interface"] = "swp42"
    ((path, message),) = problems(data)
    assert path == "links[1].b.interface" and "'swp42' is not a NIC of leaf2" in message


def test_duplicate_ids_and_hostnames_are_refused():
    data = base()
    data["devices"][3]["id"] = "pve1"
    data["devices"][4]["name"] = "pve1"
    found = dict(problems(data))
    assert "id 'pve1' is already used at devices[2].id" in found["devices[3].id"]
    assert "name 'pve1' is already used" in found["devices[4].name"]


def test_exhausted_pool_names_the_pool_and_the_element():
    data = base()
    data["pools"]["loopback_v4"] = "10.255.254.0/30"  # two usable addresses for five devices
    data["devices"][2].pop("loopback_v4")
    with pytest.raises(DesignError) as caught:
        plan(validate(data))
    (problem,) = caught.value.problems
    assert problem.path == "pools.loopback_v4"
    assert "exhausted" in problem.message and "devices[2].loopback_v4" in problem.message
    assert "enlarge" in problem.hint


def test_asn_range_exhaustion_is_named():
    data = base()
    data["asn"]["range"] = "64512-64513"
    with pytest.raises(DesignError, match=r"asn.range: pool asn \(64512-64513\) is exhausted"):
        plan(validate(data))


def test_json_schema_describes_the_document_for_the_canvas():
    schema = json_schema()
    assert schema["title"] == "Design"
    assert {"devices", "links", "networks", "racks", "wireguard"} <= set(schema["properties"])
    device = schema["$defs"]["Device"]
    assert device["additionalProperties"] is False
    assert set(device["properties"]["role"]["enum"]) == {"spine", "leaf", "border", "gateway", "hypervisor",
                                                        "router", "host"}


@pytest.mark.parametrize("character, named", [("\x00", "NUL character (U+0000)"),
                                              ("\x1b", "control character (U+001B)"),
                                              ("\ud800", "lone UTF-16 surrogate (U+D800)"),
                                              ("\x85", "control character (U+0085)")])
def test_a_document_may_not_hold_characters_no_file_or_database_can_carry(character, named):
    data = base()
    data["description"] = f"three{character}nodes"
    data["devices"][1]["nics"][0]["description"] = character
    assert problems(data) == [("description", f"holds a {named} at character 6"),
                              ("devices[1].nics[0].description", f"holds a {named} at character 1")]


def test_a_bad_character_in_a_key_is_named_without_repeating_it():
    data = base()
    data["devices"][0]["na\x00me"] = "x"
    ((path, message),) = problems(data)
    assert path == "devices[0].na\\u0000me" and "\x00" not in path + message


def test_tabs_and_line_breaks_are_text_a_document_may_hold():
    data = base()
    data["description"] = "line one\n\tline two\r\n"
    assert validate(data).description == data["description"]


def test_a_document_nested_deeper_than_any_design_is_refused_at_its_path():
    data = base()
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    data["devices"][0]["extra"] = deep
    ((path, message),) = problems(data)
    assert path.startswith("devices[0].extra[0][0]") and "nested deeper" in message


def test_problems_are_capped_and_say_how_many_more_there_were():
    data = base()
    data["devices"] = [dict(data["devices"][0]) for _ in range(3000)]
    with pytest.raises(DesignError) as caught:
        validate(data)
    error = caught.value
    assert len(error.problems) == DesignError.MOST_SHOWN
    assert error.more > 2000
    assert f"and {error.more} more problems" in str(error)


@pytest.mark.parametrize("character", ["\x00", "\x07"])
def test_a_yaml_text_with_a_control_character_names_its_line_and_column(character):
    text = f"name: x\ndescription: ab{character}c\ndevices: []\n"
    with pytest.raises(DesignError) as caught:
        load_text(text, source="bad.yaml")
    ((problem,),) = [caught.value.problems]
    assert problem.path == "line 2, column 16"
    assert character not in str(caught.value)


TRICKY = st.sampled_from('\\u00bf"\x00\x08\x0c\x1f\x7f\x85\ud800\n')  # what JSON escapes, and look-alikes


@given(st.text(alphabet=st.one_of(st.characters(exclude_categories=()), TRICKY), max_size=12))
def test_the_text_rule_finds_a_bad_character_wherever_it_hides(text):
    # The quick pass reads the document as JSON, where a backslash, an escape and a control character can
    # sit side by side: it must agree with the character rule itself on every string.
    bad = FORBIDDEN.search(text) is not None
    assert bool(data_problems({"description": text, text: [text]})) == bad


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize("innermost", ["x", [], {}])
def test_the_depth_rule_is_the_same_however_a_document_is_checked(depth, innermost):
    nested = innermost
    for _ in range(depth - (0 if isinstance(innermost, str) else 1)):
        nested = [nested]
    problems_found = data_problems({"nested": nested})  # the document itself is one level
    assert bool(problems_found) == (depth + 1 > MAX_DEPTH)
    problems_found = data_problems({"nested": nested, "description": "\x00"})  # the walk, not the quick pass
    assert any("nested deeper" in p.message for p in problems_found) == (depth + 1 > MAX_DEPTH)
