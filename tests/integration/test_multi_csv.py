from __future__ import annotations

import pytest

from sessionlens.errors import InputError
from sessionlens.ingest.multi_csv import split_csv


def test_split_keeps_header_and_groups_rows():
    data = b"transcript_id,interlocutor,timestamp,utterance_text\n1,therapist,00:00:01,Hi\n2,client,00:00:01,Yo\n1,client,00:00:03,\"Hello, there\"\n"
    parts = split_csv(data)
    assert sorted(parts) == ["1", "2"]
    assert parts["1"].decode().splitlines() == [
        "transcript_id,interlocutor,timestamp,utterance_text", "1,therapist,00:00:01,Hi", '1,client,00:00:03,"Hello, there"']


@pytest.mark.parametrize("data", [b"a,b\n1,2\n", b"\xff\xfe\x00garbage"])
def test_split_errors_are_input_errors(data):
    with pytest.raises(InputError):
        split_csv(data, source="x.csv")
