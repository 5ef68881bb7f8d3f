"""The JSON corpus loader: records from the corpus layout, defects as warnings, bad shapes refused.

Expected values are read by hand from tests/fixtures/json/TST2431-001v2.json
(written for these tests) and, when ../shared/icap-corpus is present, from two
real corpus files.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.corpus_json import parse_standard_json
from loaders.errors import ParseError
from loaders.records import CodeName, Version

FIXTURE = Path(__file__).parent / "fixtures" / "json" / "TST2431-001v2.json"


@pytest.fixture()
def doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def parse(obj: Any, path: str = "t.json") -> Any:
    return parse_standard_json(json.dumps(obj, ensure_ascii=False), path)


def messages(std: Any) -> list[str]:
    return [w.message for w in std.warnings]


def test_fixture_metadata() -> None:
    std = parse_standard_json(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    assert std.code == "TST2431-001v2"
    assert std.name == "測試企劃人員"  # the space inside the Chinese word is removed
    assert std.level == 4
    assert std.description == "規劃行銷活動並追蹤成效。"
    assert std.category == (CodeName("行銷與銷售／行銷管理", "KMC"),)
    assert std.occupation == (CodeName("廣告及行銷專業人員", "2431"),)
    assert std.industry == (
        CodeName("專業、科學及技術服務業／廣告業", "M7310"),
        CodeName("資訊及通訊傳播業／出版業", "J58"),
    )
    assert std.versions == (
        Version("V2", "TST2431-001v2", "測試企劃人員", "最新版本", "", "2024/06/30"),
    )
    assert std.requirements == "大學以上"
    assert std.notes == ()
    assert std.source.format == "json" and std.source.path == str(FIXTURE)
    assert len(std.source.sha256) == 64
    assert not std.historical and std.latest


def test_fixture_table() -> None:
    std = parse_standard_json(FIXTURE.read_text(encoding="utf-8"), "t.json")
    assert [(d.code, d.name) for d in std.duties] == [
        ("T1", "規劃行銷活動"),
        ("T2", "追蹤活動成效"),
    ]
    assert [(t.code, t.name, t.level) for t in std.tasks] == [
        ("T1.1", "蒐集市場資訊", 4),
        ("T1.2", "擬定活動企劃", 5),
        ("T2.1", "分析活動成效", None),
    ]
    t11 = std.tasks[0]
    # 、 inside the bracket belongs to the example list, not to the output list.
    assert [(o.code, o.name) for o in t11.outputs] == [
        ("O1.1.1", "市場分析報告（如：競品分析、消費者調查）"),
        ("O1.1.2", "資料清單"),
    ]
    assert all(o.synthesized for o in t11.outputs)
    assert [(p.code, p.text) for p in t11.indicators] == [
        ("P1.1.1", "蒐集並整理市場資訊。"),
        ("P1.1.2", "分析競爭者動態。"),
    ]
    assert all(p.synthesized for p in t11.indicators)
    assert t11.knowledge == ("K01", "K02") and t11.skills == ("S01",)
    assert t11.source.line == 24
    assert [(k.code, k.name, k.notes) for k in std.knowledge] == [
        ("K01", "市場調查方法", ()),
        ("K02", "行銷企劃", ("註1",)),
        ("K03", "數據分析與", ()),
    ]
    assert [s.name for s in std.skills] == ["資料蒐集能力", "企劃撰寫能力"]
    assert [(a.code, a.name, a.description) for a in std.attitudes] == [
        ("A01", "主動積極", "不需他人指示或要求能自動自發做事。")
    ]


def test_fixture_warnings() -> None:
    std = parse_standard_json(FIXTURE.read_text(encoding="utf-8"), "t.json")
    assert [str(w) for w in std.warnings] == [
        "t.json:44: task T2.1 has no work output",
        "t.json:44: task T2.1 has no performance indicator",
        "t.json:44: task T2.1 has level 0, not 1-7; level left unknown",
        "t.json: knowledge K03 '數據分析與' looks cut short",
        "t.json: notes lost: items carry marks 註1 but the JSON layout has no notes",
    ]


def test_empty_code_uses_file_name_and_warns(doc: dict[str, Any]) -> None:
    doc["metadata"]["code"] = ""
    std = parse(doc, "corpus/運動賽會經理人-職能基準.json")
    assert std.code == "運動賽會經理人-職能基準"
    assert "empty standard code; using the file name '運動賽會經理人-職能基準' as its code" in (
        messages(std)
    )


def test_historical_mark(doc: dict[str, Any]) -> None:
    doc["metadata"]["name"] = "《歷史資料》測試企劃人員"
    std = parse(doc, "《歷史資料》測試企劃人員-職能基準.json")
    assert std.historical and std.name == "測試企劃人員"


def test_empty_attitudes_and_missing_duty(doc: dict[str, Any]) -> None:
    doc["competency_attitudes"] = []
    for task in doc["competency_tasks"]:
        if task["task_id"] == "T2.1":
            task["main_responsibility"] = "T3追蹤活動成效"
            task["task_id"] = "T3.1"
    std = parse(doc)
    assert "the attitude list is empty" in messages(std)
    assert "duty T2 is missing (duties are numbered up to T3)" in messages(std)


def test_task_code_not_matching_its_duty(doc: dict[str, Any]) -> None:
    doc["competency_tasks"][2]["main_responsibility"] = "T1規劃行銷活動"
    std = parse(doc)
    # Kept where the file puts it, and reported.
    assert [t.code for t in std.duties[0].tasks] == ["T1.1", "T1.2", "T2.1"]
    assert (
        "task T2.1 is listed under duty T1 '規劃行銷活動'; its code says duty T2, which is missing"
        in messages(std)
    )


def test_undefined_codes(doc: dict[str, Any]) -> None:
    doc["competency_tasks"][1]["knowledge"] = ["K02", "K45"]
    doc["competency_tasks"][1]["skills"] = ["S09"]
    std = parse(doc)
    assert std.tasks[1].knowledge == ("K02", "K45")  # kept as written
    assert "task T1.2 uses knowledge K45, which the standard does not define" in messages(std)
    assert "task T1.2 uses skill S09, which the standard does not define" in messages(std)


def test_duplicated_item_codes(doc: dict[str, Any]) -> None:
    doc["competency_knowledge"].append({"code": "K01", "name": "市場調查方法"})
    doc["competency_skills"].append({"code": "S02", "name": "簡報能力"})
    std = parse(doc)
    assert [k.code for k in std.knowledge] == ["K01", "K02", "K03"]
    assert [s.name for s in std.skills] == ["資料蒐集能力", "企劃撰寫能力"]
    assert "knowledge code K01 is listed twice" in messages(std)
    assert (
        "skill code S02 has two names '企劃撰寫能力' and '簡報能力'; kept the first"
        in messages(std)
    )


def test_cut_names_and_swallowed_fragments(doc: dict[str, Any]) -> None:
    doc["competency_tasks"][0]["main_responsibility"] = "T1建置與"
    doc["competency_tasks"][1]["main_responsibility"] = "T1建置與"
    doc["competency_tasks"][1]["output"] = "工作單（包含列印設備、製程"
    doc["competency_skills"][0]["name"] = "CNC銑床機台故障判斷能力K12簡易故障排除能力"
    std = parse(doc)
    assert "duty T1 name '建置與' looks cut short" in messages(std)
    assert "task T1.2 output '工作單（包含列印設備、製程' looks cut short" in messages(std)
    assert (
        "skill S01 'CNC銑床機台故障判斷能力K12簡易故障排除能力'"
        " holds a fragment of another table cell" in messages(std)
    )


def test_duty_named_twice_keeps_the_longer(doc: dict[str, Any]) -> None:
    doc["competency_tasks"][0]["main_responsibility"] = "T1規劃行銷"
    std = parse(doc)
    assert std.duties[0].name == "規劃行銷活動"
    assert any("duty T1 is named both '規劃行銷' and '規劃行銷活動'" in m for m in messages(std))


def test_no_tasks(doc: dict[str, Any]) -> None:
    doc["competency_tasks"] = []
    std = parse(doc)
    assert std.duties == ()
    assert "no duties or tasks: the task table is empty" in messages(std)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d.pop("metadata"), "metadata is missing"),
        (
            lambda d: d.__setitem__("competency_tasks", {}),
            "competency_tasks should be list, not dict",
        ),
        (
            lambda d: d["competency_tasks"][1].__setitem__("knowledge", "K02"),
            "competency_tasks[1].knowledge should be list, not str",
        ),
        (
            lambda d: d["competency_tasks"][0]["skills"].append(7),
            "competency_tasks[0].skills[1] should be str, not int",
        ),
        (
            lambda d: d["competency_knowledge"][2].pop("name"),
            "competency_knowledge[2].name is missing",
        ),
        (lambda d: d["basic_info"].__setitem__("level", "4"), "basic_info.level should be int"),
        (lambda d: d["competency_tasks"].append([1, 2]), "competency_tasks[3] should be an object"),
    ],
)
def test_wrong_shape_names_the_field(doc: dict[str, Any], mutate: Any, reason: str) -> None:
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(ParseError) as info:
        parse(bad, "bad.json")
    assert info.value.path == "bad.json"
    assert reason in info.value.reason
    assert info.value.reason.startswith("not an iCAP standard (JSON corpus layout)")


def test_not_an_object() -> None:
    with pytest.raises(ParseError, match="the top level should be an object, not list"):
        parse_standard_json("[1, 2, 3]", "list.json")


def test_syntax_error_has_json_line() -> None:
    text = '{\n  "metadata": {\n    "code": "X"\n    "name": "Y"\n  }\n}\n'
    with pytest.raises(ParseError) as info:
        parse_standard_json(text, "syntax.json")
    assert info.value.line == 4  # the missing comma is noticed at "name"
    assert "invalid JSON" in info.value.reason


def test_deep_nesting_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"deep\.json"):
        parse_standard_json("[" * 100_000, "deep.json")


@pytest.mark.corpus
def test_real_file_rf_engineer(corpus_dir: Path) -> None:
    # Read by hand: T6.1-T6.4 sit under duty T5 (duty T6 lost), no attitudes,
    # T2.4 has no behaviour and an output with an unclosed bracket.
    path = corpus_dir / "RF研發工程師-職能基準.json"
    std = parse_standard_json(path.read_text(encoding="utf-8"), str(path))
    assert [d.code for d in std.duties] == ["T1", "T2", "T3", "T4", "T5"]
    assert [t.code for t in std.duties[4].tasks] == [
        "T5.1", "T5.2", "T5.3", "T6.1", "T6.2", "T6.3", "T6.4",
    ]
    assert std.tasks[0].name == "評估客戶、市場需求及標準規" and std.tasks[0].level == 6
    found = messages(std)
    for code in ("T6.1", "T6.2", "T6.3", "T6.4"):
        assert any(m.startswith(f"task {code} is listed under duty T5") for m in found)
    assert "the attitude list is empty" in found
    assert "task T2.4 has no performance indicator" in found
    assert "task T2.4 output '零組件清單表（B、原型品' looks cut short" in found
    t24 = next(t for t in std.tasks if t.code == "T2.4")
    assert [o.name for o in t24.outputs] == ["零組件清單表（B、原型品"]


@pytest.mark.corpus
def test_real_file_historical(corpus_dir: Path) -> None:
    path = corpus_dir / "《歷史資料》傳統灰作匠師-職能基準.json"
    std = parse_standard_json(path.read_text(encoding="utf-8"), str(path))
    assert std.historical and std.name == "傳統灰作匠師"
    assert std.code == "《歷史資料》傳統灰作匠師-職能基準"  # its code is empty
    assert std.duties == ()
    assert "no duties or tasks: the task table is empty" in messages(std)


# Any JSON value may replace any field: the loader returns a Standard or raises
# its ParseError, never anything else (the fast path indexes blindly, so this
# checks that every blind spot is caught and explained).
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6,
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += _paths(v, (*prefix, i))
    return found


@given(data=st.data())
def test_fuzz_replaced_fields(data: st.DataObject) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_paths(doc)))
        value = data.draw(_JSON_VALUES)
        if not where:
            doc = value
            continue
        parent = doc
        for step in where[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(where[-1], None)
        else:
            parent[where[-1]] = value
    try:
        std = parse(doc, "fuzz.json")
    except ParseError as exc:
        assert exc.path == "fuzz.json" and exc.reason
    else:
        assert all(isinstance(t.name, str) for t in std.tasks)
        assert all(isinstance(c, str) for t in std.tasks for c in t.knowledge + t.skills)
        assert std.level is None or isinstance(std.level, int)
