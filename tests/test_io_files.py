"""Files the library reads: regular files only, a size limit, BOM, duplicate JSON keys, YAML aliases."""

import json
import os
from pathlib import Path

import pytest

import itstrat_engine as it

TOML = '[engagement]\nclient = "A"\nstart = "2027-Q1"\nperiods = 2\n'


def test_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO is never opened (reading it would wait forever)."""
    fifo = tmp_path / "e.toml"
    os.mkfifo(fifo)
    with pytest.raises(it.UnreadableFileError, match="not a regular file"):
        it.load(fifo)


def test_device_is_refused() -> None:
    """A device such as /dev/zero is not read (it never ends)."""
    with pytest.raises(it.UnreadableFileError, match="not a regular file"):
        it.load("/dev/null")
    with pytest.raises(it.UnreadableFileError, match="not a regular file"):
        it.read_survey_csv(Path("/dev/zero"), it.loads(TOML))


def test_size_limit_refuses_before_reading(tmp_path: Path) -> None:
    """A file over the limit is refused, naming the limit; the default limit is generous."""
    path = tmp_path / "e.toml"
    path.write_text(TOML, encoding="utf-8")
    assert it.load(path).scope.client == "A"
    with pytest.raises(it.UnreadableFileError, match="larger than the limit of 10 bytes"):
        it.load(path, max_bytes=10)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 BOM (as some Windows editors write) is dropped, for TOML and JSON."""
    path = tmp_path / "e.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TOML.encode())
    assert it.load(path).scope.client == "A"
    data = {"engagement": {"client": "B", "start": "2027-Q1", "periods": 2}}
    path = tmp_path / "e.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    assert it.load(path).scope.client == "B"


def test_duplicate_json_key_is_an_error(tmp_path: Path) -> None:
    """As in TOML, a key given twice in JSON is an error naming the key and its line."""
    path = tmp_path / "e.json"
    path.write_text(
        '{"engagement": {"client": "A",\n "start": "2027-Q1",\n "client": "B", "periods": 2}}',
        encoding="utf-8",
    )
    with pytest.raises(it.InvalidEngagementError) as caught:
        it.load(path)
    assert f"{path}: line 3: duplicate key 'client'" in str(caught.value)


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    """A YAML alias could expand a small file into gigabytes: refused, located."""
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    with pytest.raises(
        it.InvalidEngagementError, match=r"line 2, column 8: YAML syntax error: aliases"
    ):
        it.loads(bomb, "yaml", "bomb.yaml")
    plain = "engagement:\n  client: &name A\n  start: '2027-Q1'\n  periods: 2\n"
    assert it.loads(plain, "yaml").scope.client == "A"  # an anchor alone is harmless
