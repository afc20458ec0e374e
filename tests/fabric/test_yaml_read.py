"""A large design read on two cores reads exactly as when read whole, or is read whole.

Each case cuts a text at every line it could be cut at; the two halves are parsed by two processes, and what comes
back must equal the whole text's parse, or be nothing (the caller then parses the text whole). A text that does
not parse whole must never come back read.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.fabric.document import dump_yaml
from designer.fabric.generate import leaf_spine
from designer.fabric.yaml_read import SPLIT_FROM, parse_yaml, start_in_halves
from tests.conftest import EXAMPLES


def loads(text: str):
    return yaml_rs.loads(text, parse_datetime=False)


def whole(text: str):
    try:
        return loads(text)
    except yaml_rs.YAMLDecodeError:
        return "does not parse"


def in_halves(text: str, read, **options) -> dict | None:
    started = start_in_halves(text, read, **options)
    return started() if started is not None else None


def cuts(text: str) -> list:
    """What reading ``text`` in halves gives, cut at each line at the margin in turn (at an indented line, the cut
    is made at the next line at the margin)."""
    starts = [0, *(i + 1 for i, c in enumerate(text[:-1]) if c == "\n" and text[i + 1] not in " \t")]
    # a second process forked even where this one runs other threads (earlier tests leave some): it only parses
    return [in_halves(text, loads, split_from=0, middle=start, fork=True) for start in starts]


def assert_read_as_whole(text: str) -> int:
    """Every cut reads ``text`` as its whole parse does, or is put aside; the number of cuts that read it."""
    expected = whole(text)
    read = [result for result in cuts(text) if result is not None]
    assert all(result == expected for result in read)
    return len(read)


def test_every_example_reads_the_same_cut_at_any_line_of_its_top_level():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert assert_read_as_whole(path.read_text(encoding="utf-8")) > 0, path.name


@pytest.mark.parametrize("text", [
    "name: a\ndevices:\n- id: x\n  nics:\n  - name: eth0\n- id: y\n# a comment\n- id: z\nlinks:\n- id: l\n",
    "devices:\n  - id: x\n  - id: y\nlinks: []\n",  # a list indented under its key: cut only between keys
    "a:\n- 1\nb:\n- 2\n- 3\n",
    "a:\r\n- 1\r\n- 2\r\nb: 3\r\n",
    "a:\n- x\n- y\n'weft:continued':\n- z\nb: 1\n",
    "description: |\n  devices:\n  - not a list\nname: a\n",
])
def test_awkward_texts_read_the_same(text):
    assert assert_read_as_whole(text) > 0


@pytest.mark.parametrize("text", [
    "a:\n  - 1\n- 2\n- 3\nb: 4\n",  # an item at the margin after an indented list
    "a: 1\nb:\n- 2\n- 3\na: 5\n",  # a key written twice, in different halves
    "a:\n- 1\n- 2\nb: [3,\n4]\n",  # a flow list a cut would go through
    "a: 'x\nb: y'\nc: 1\n",
])
def test_a_text_that_does_not_parse_whole_is_never_read_in_halves(text):
    assert whole(text) == "does not parse"
    assert assert_read_as_whole(text) == 0


def test_an_alias_in_one_half_to_an_anchor_in_the_other_is_read_whole():
    text = "a: &shared\n  mtu: 9000\nb:\n- 1\n- 2\nc: *shared\n"
    assert assert_read_as_whole(text) == 0
    assert assert_read_as_whole(text + "d:\n- &other 1\n- *other\n") > 0  # cut after the alias: read in halves


@pytest.mark.parametrize("text", [
    "a:\n- 1\n- 2\n---\nb: 3\n",
    "a:\n- 1\n- 2\n...\nb: 3\n",
    "a:\n- 1\n- 2\n... # the end\n\n# of the first\nb: 3\n",
    "a:\n- 1\n- 2\n...\n%YAML 1.2\n---\nb: 3\n",
])
def test_a_stream_of_documents_is_read_whole(text):
    assert isinstance(whole(text), list)
    assert assert_read_as_whole(text) == 0


def test_a_document_between_its_markers_is_read_in_halves():
    assert assert_read_as_whole("%YAML 1.2\n---\na:\n- 1\n- 2\nb: 3\n...\n") > 0


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
    st.one_of(st.integers(), st.text(max_size=12), st.lists(
        st.one_of(st.text(max_size=8), st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True),
                                                       st.text(max_size=8) | st.integers(), max_size=3)),
        max_size=6)),
    min_size=1, max_size=5))
def test_any_document_a_yaml_writer_makes_reads_the_same(document):
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    assert_read_as_whole(text)


@pytest.fixture(scope="module")
def large_design() -> str:
    text = dump_yaml(leaf_spine(spines=2, leaves=230, hypervisors_per_leaf=9, vnis=20))
    assert len(text) > SPLIT_FROM
    return text


def test_a_large_design_is_read_on_two_cores_as_it_is_read_whole(large_design, tmp_path):
    readers = tmp_path / "readers"

    def logged(part: str) -> dict:
        with readers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return loads(part)

    halves = in_halves(large_design, logged, fork=True)
    pids = readers.read_text().split()
    assert len(set(pids)) == 2 and str(os.getpid()) in pids  # a half read here, the other by another process
    assert halves == loads(large_design) == parse_yaml(large_design)


def test_a_malformed_large_design_is_reported_where_the_whole_text_has_it(large_design, tmp_path):
    """Told by the command line, which reads a large design in halves (a process of one thread)."""
    lines = large_design.splitlines(keepends=True)
    broken = len(lines) * 3 // 4  # in the second half
    lines[broken] = "@" + lines[broken]
    design = tmp_path / "fabric.yaml"
    design.write_text("".join(lines))
    result = subprocess.run([sys.executable, "-m", "designer.fabric", "lint", str(design)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {design}: line {broken + 1}, column 1: malformed YAML"), result.stderr


@pytest.mark.parametrize(("other_thread", "read_in_halves"), [(False, True), (True, False)])
def test_a_second_process_is_forked_only_where_no_other_thread_runs(other_thread, read_in_halves):
    """A web server's threads may hold locks a forked process would inherit held: there, a text is read whole."""
    probe = ("import threading, yaml_rs\n"
             "from designer.fabric.yaml_read import SPLIT_FROM, start_in_halves\n"
             f"if {other_thread}:\n"
             "    threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
             "text = 'devices:\\n' + ''.join(f'- id: leaf{i}\\n  name: leaf{i}\\n' for i in range(SPLIT_FROM // 30))\n"
             "started = start_in_halves(text, lambda part: yaml_rs.loads(part, parse_datetime=False))\n"
             "halves = started() if started is not None else None\n"
             "print('HALVES', halves is not None and halves == yaml_rs.loads(text, parse_datetime=False))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip() == f"HALVES {read_in_halves}", result.stdout + result.stderr
