"""The attribution in words in the run's or the page's language: its text (the approval pack's
.txt, ``fiscal runs attribute --lang vi``), its notes, and its combinations' outcomes and solver
messages — also when they come back from the store's cache. English stays as it was."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from english import english_in
from handmade import scenario, units

import fiscal
from fiscal import runs
from fiscal.attribution import attribute_results
from fiscal.pipeline import run
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import Store

SCEN = bundled_scenarios_dir()
FLOOR = {"name": "hold-harmless", "kind": "floor", "ratio": 1.0}


def _blocked(store=None):
    """tests/test_attribution: B's envelope under A's floors is infeasible (1 of 2 orders)."""
    table = units(population=[1000, 1000], need_units=[200, 200], baseline=[300, 700])
    a = run(scenario(1200, kind="formula", constraints=[FLOOR]), units=table)
    b = run(scenario(900, kind="formula"), units=table)
    return attribute_results(a, b, store=store)


def test_the_english_text_is_as_it_was():
    lines = _blocked().text().splitlines()
    assert lines[:2] == [
        "Attribution of the change from A to B",
        "  envelope: envelope.total 1200.0 → 900.0",
    ]
    assert lines[2].startswith("  rules: constraints (none) → []; ")
    assert re.fullmatch(
        r"  4 combinations, [0-9]+ solved, 0 from the cache, [0-9]+\.[0-9] s; 1 of 2 orders used",
        lines[3],
    ), lines[3]
    assert lines[4] == (
        "  note: 1 combination(s) could not be solved (envelope: infeasible): the average is "
        "over the 1 of 2 orders that avoid them"
    )
    assert lines[5] == "2026: total change −0.3 bn = envelope −0.3, rules 0"


def test_the_vietnamese_text_has_no_english_sentence():
    text = _blocked().text(lang="vi")
    lines = text.splitlines()
    assert lines[0] == "Phân tích nguyên nhân thay đổi từ A sang B"
    assert "dùng 1 trong 2 thứ tự" in lines[3] and "giây" in lines[3]
    assert lines[4] == (
        "  ghi chú: 1 tổ hợp không giải được (tổng mức: không khả thi): bình quân trên 1 trong "
        "2 thứ tự tránh được chúng"
    )
    assert lines[5].startswith("2026: tổng thay đổi −0,3 tỷ đồng = tổng mức −0,3")
    # the settings changed are written as the files write them (identifiers, not English)
    assert lines[2].startswith("  quy tắc: constraints (không có) → []; ")
    said = lines[:1] + lines[3:]  # lines 1–2 quote the settings, keys and values as in a file
    english = [(ln, english_in(ln)) for ln in said if english_in(ln)]
    assert not english, english


def _combinations_vi(att) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(att.to_xlsx("vi")), data_only=True)
    ws = book["Các tổ hợp"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    head = list(rows[0])
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if r[0]]


def test_the_combinations_outcomes_and_solver_messages_in_vietnamese(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    first = _blocked(store)
    again = _blocked(store)  # the mixed combinations from the store's cache
    assert again.cached == 2 and again.solves == 0
    for att in (first, again):
        rows = {r["tổ hợp"]: r for r in _combinations_vi(att)}
        assert rows["tổng mức"]["kết quả"].startswith("không khả thi")
        assert rows["tổng mức"]["ghi chú"] == "các quy tắc của tổ hợp không thể cùng thoả mãn"
        assert rows["(không)"]["kết quả"] == "đã lưu"
        assert rows["(không)"]["ghi chú"] == "lần chạy đã lưu A"
        assert rows["quy tắc"]["kết quả"].startswith("giải được")
        # in English, as the solver wrote them
        combos = att.combinations.set_index("combination")
        assert str(combos.at["envelope", "message"]) == "its rules cannot all hold"
        assert str(combos.at["(none)", "message"]) == "the stored run A"
    assert _combinations_vi(again)[1]["kết quả"].endswith("(lấy từ bộ nhớ đệm)")


def test_the_approval_packs_text_in_the_packs_language(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    v1 = store.save(fiscal.run(SCEN / "national-2026-baseline.toml"), name="v1", author="lan")
    store.review(v1.id, who="minh")
    store.approve(v1.id, who="hoa")
    res = fiscal.run(SCEN / "national-2026-new-norms.toml")
    v2 = store.save(res, name="v2", author="lan", parent=v1.id)
    name = f"run-{v2.id}-attribution-vs-{v1.id}.txt"
    texts = {}
    for lang in ("en", "vi"):
        with zipfile.ZipFile(io.BytesIO(runs.approval_pack(v2.id, store=store, lang=lang))) as z:
            texts[lang] = z.read(name).decode("utf-8")
    assert texts["en"].startswith("Attribution of the change from #1 v1")
    assert texts["vi"].startswith("Phân tích nguyên nhân thay đổi từ #1 v1")
    assert "định mức:" in texts["vi"] and "tổng thay đổi" in texts["vi"]
    assert "combinations" not in texts["vi"] and "total change" not in texts["vi"]
    # without a language, as before: English
    with zipfile.ZipFile(io.BytesIO(runs.approval_pack(v2.id, store=store))) as z:
        assert z.read(name).decode("utf-8").splitlines()[0] == texts["en"].splitlines()[0]
