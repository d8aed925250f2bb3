"""Regenerate the golden files after a deliberate change of data or method (review the diff!)."""

from pathlib import Path

import fiscal
from fiscal.export import csv_bytes

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    result = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml")
    (Path(__file__).parent / "national-2026-baseline.csv").write_bytes(csv_bytes(result))
    print("wrote tests/golden/national-2026-baseline.csv")
