"""`fiscal solve --save` and `fiscal runs …`, run as a user would (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from store_helpers import (
    change_words,
    store_url,  # noqa: F401  (fixture)
)

from fiscal.scenario import bundled_scenarios_dir

ROOT = Path(__file__).resolve().parent.parent
SCEN = bundled_scenarios_dir()


def fiscal(url: str, *args: str, author: str = "lan") -> subprocess.CompletedProcess:
    env = {**os.environ, "FISCAL_STORE": url, "FISCAL_AUTHOR": author}
    return subprocess.run(
        [sys.executable, "-m", "fiscal.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.slow
def test_save_list_show_diff_attribute_approve_export(store_url, tmp_path):  # noqa: F811
    u = store_url
    out = ok(
        fiscal(
            u,
            "solve",
            str(SCEN / "national-2026-baseline.toml"),
            "--save",
            "--name",
            "v1",
            "--note",
            "as in NQ 246",
        )
    )
    assert "saved run #1 v1 (v1, draft) by lan" in out
    ok(
        fiscal(
            u,
            "solve",
            str(SCEN / "national-2026-new-norms.toml"),
            "--save",
            "--name",
            "v2",
            "--parent",
            "1",
        )
    )
    listed = ok(fiscal(u, "runs", "list"))
    assert "v1" in listed and "v2" in listed and "238,421.0" in listed
    shown = ok(fiscal(u, "runs", "show", "2"))
    assert "version 2, parent #1" in shown and "reconciles exactly" in shown
    assert "saved" in shown.split("Trail:")[1]
    diff = ok(fiscal(u, "runs", "diff", "1", "2", "-o", str(tmp_path / "d.xlsx")))
    assert "reference: #1 v1" in diff
    assert (tmp_path / "d.xlsx").is_file()
    why = ok(fiscal(u, "runs", "attribute", "1", "2", "--unit", "68"))
    assert why.strip() == "2026: " + change_words("68")
    why_vi = ok(fiscal(u, "runs", "attribute", "1", "2", "--unit", "68", "--lang", "vi"))
    assert why_vi.strip() == "2026: " + change_words("68", "vi")
    ok(fiscal(u, "runs", "attribute", "1", "2", "-o", str(tmp_path / "a.csv")))
    att = pd.read_csv(tmp_path / "a.csv", dtype={"code": str}, comment="#")
    assert len(att) == 34 and (att["norms"] == att["change"]).all()
    ok(fiscal(u, "runs", "attribute", "1", "2", "-o", str(tmp_path / "a.xlsx")))
    assert "exact" in openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames
    # the trail: the author may not approve, a colleague may
    refused = fiscal(u, "runs", "review", "2")
    assert refused.returncode == 1 and "lan is its author" in refused.stderr
    assert "Traceback" not in refused.stderr
    ok(fiscal(u, "runs", "review", "2", "--who", "minh"))
    assert "approved by hoa" in ok(fiscal(u, "runs", "approve", "2", "--who", "hoa"))
    edit = fiscal(u, "runs", "edit", "2", "--note", "x")
    assert edit.returncode == 1 and "immutable" in edit.stderr
    ok(fiscal(u, "runs", "export", "2", "-o", str(tmp_path / "pack.zip")))
    with zipfile.ZipFile(tmp_path / "pack.zip") as z:
        assert "run-2-provenance.json" in z.namelist()
    ok(fiscal(u, "runs", "export", "2", "-o", str(tmp_path / "t.csv")))
    assert len(pd.read_csv(tmp_path / "t.csv", comment="#")) == 34


def test_cli_errors_name_the_store(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    out = fiscal(str(bad), "runs", "list")
    assert out.returncode == 1
    assert f"store {bad}: not a SQLite database" in out.stderr and "Traceback" not in out.stderr
    missing = fiscal(f"sqlite:///{tmp_path / 'runs.sqlite'}", "runs", "show", "7")
    assert missing.returncode == 1 and "no run '7'" in missing.stderr
    empty = fiscal(f"sqlite:///{tmp_path / 'runs.sqlite'}", "runs", "list")
    assert "no runs in" in empty.stdout
    usage = fiscal(
        str(tmp_path / "x.sqlite"),
        "solve",
        str(SCEN / "national-2026-baseline.toml"),
        "--name",
        "x",
    )
    assert usage.returncode != 0 and "--name needs --save" in usage.stderr
