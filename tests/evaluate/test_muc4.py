"""MUC-4: the reader (templates, perpetrator organisations, the dateline's day),
incident P/R/F1 and the perpetrator share, on hand-written upper-case messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ember.evaluate.events import detect_format, evaluate_events, format_events_table
from ember.evaluate.muc4 import dateline_day, evaluate_muc4, names_organization, parse_muc4
from ember.evaluate.prose import ProseRecords

from .prose_fakes import FakeDocuments, event, write_jsonl

M1 = "RIVER LIBERATION FRONT REBELS BLEW UP A POWER PYLON NEAR PUERTO ALTO LAST NIGHT."
M2 = "THE HILL ARMY MARCHED THROUGH THE CAPITAL AND BURNED TWO BUSES, POLICE SAID."
M3 = "A GAS CYLINDER EXPLODED IN A BAKERY; FIREMEN SAID IT WAS AN ACCIDENT."
M4 = "THE FINANCE MINISTER PRESENTED THE BUDGET TO CONGRESS TODAY."


def _message(
    doc_id: str, text: str, templates: list[Any], perps: list[list[str]]
) -> dict[str, Any]:
    roles = {
        "perp_individual_id": [],
        "perp_organization_id": perps,
        "phys_tgt_id": [],
        "hum_tgt_name": [],
        "incident_instrument_id": [],
    }
    return {"doc_id": doc_id, "dateline": "PUERTO ALTO, 4 FEB 90 (WIRE)", "text": text,
            "templates": templates, "roles": roles, "roles_union_of_templates": roles}  # fmt: skip


INCIDENT = [{"message_template": 1, "optional": False, "slots": []}]
NONE = [{"message_template": "*"}]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "muc4.jsonl",
        [
            _message("M1", M1, INCIDENT, [["RIVER LIBERATION FRONT", "RLF"]]),
            _message("M2", M2, INCIDENT, [["HILL ARMY"]]),
            _message("M3", M3, NONE, []),
            _message("M4", M4, NONE, []),
        ],
    )


def _answers() -> dict[str, ProseRecords]:
    return {
        M1: ProseRecords(events=[event(event_type="Explosions/Remote violence",
                                       actor1="RLF: River Liberation Front")]),
        # Only a protest (not violent); the army is named as written, not canonically.
        M2: ProseRecords(events=[event(event_type="Protests", actor1="Unidentified Armed Group",
                                       actor1_text="THE HILL ARMY")]),
        M3: ProseRecords(events=[event(event_type="Explosions/Remote violence")]),
    }  # fmt: skip


def test_muc4_figures_by_hand(gold: Path) -> None:
    fake = FakeDocuments(_answers())
    result = evaluate_muc4(gold, analyze=fake)
    assert result["format"] == "muc4" and result["n"] == 4
    m = result["metrics"]
    # Gold incidents {M1, M2}; ember flags {M1, M3}.
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5)
    assert m["perpetrator_organization"] == 0.5
    assert m["perpetrator_organization_as_written"] == 1.0
    assert result["counts"]["perpetrator_organization"] == 2
    assert set(fake.published.values()) == {"1990-02-04"}  # the dateline's day


def test_detection_and_table(gold: Path) -> None:
    assert detect_format(gold) == "muc4"
    result = evaluate_events(gold, analyze_documents=FakeDocuments(_answers()))
    table = format_events_table(result)
    assert table.startswith("events, MUC-4: 4 documents")
    assert "perpetrator_organization_as_written" in table


def test_dateline_day() -> None:
    assert dateline_day("SAN ISIDRO, 18 FEB 90 (DPA)") == "1990-02-18"
    assert dateline_day("LIMA (PERU), 3 SEPT 1991 (RADIO)") == "1991-09-03"
    assert dateline_day("BOGOTA, 31 FEB 90 (EFE)") is None
    assert dateline_day("NO DATE HERE") is None


def test_reader() -> None:
    message = parse_muc4(_message("M9", M4, NONE + INCIDENT, [["A", "B"], []]))
    assert message.incident and message.perpetrators == (("A", "B"),)
    assert not parse_muc4(_message("M8", M4, [], [])).incident


def test_names_organization() -> None:
    events = [event(actor1="Police Forces", actor2="Civilians", actor2_text="VILLAGERS")]
    assert names_organization(events, ["POLICE"])
    assert not names_organization(events, ["VILLAGERS"])
    assert names_organization(events, ["VILLAGERS"], as_written=True)
    assert not names_organization(events, ["SHINING PATH"], as_written=True)
