"""How the run store writes values and reads them back: times in UTC, JSON-safe plain data,
frames as Parquet, arrays as ``.npy`` (no pickles)."""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from fiscal.results import Result

__all__ = [
    "as_utc",
    "from_npy",
    "from_parquet",
    "json_dumps",
    "ledger_frame",
    "plain",
    "to_npy",
    "to_parquet",
    "utc_now",
]


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def as_utc(v: _dt.datetime | None) -> _dt.datetime | None:
    """A time from the database as UTC (SQLite returns naive times)."""
    if v is None:
        return None
    return v.replace(tzinfo=_dt.UTC) if v.tzinfo is None else v.astimezone(_dt.UTC)


def plain(v: Any) -> Any:
    """JSON-safe: numpy scalars to Python, non-finite floats to None."""
    if hasattr(v, "item") and not isinstance(v, list | dict | str):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    return v


def to_parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, compression="zstd")
    return buf.getvalue()


def from_parquet(data: bytes) -> pd.DataFrame:
    import pandas as pd

    return pd.read_parquet(io.BytesIO(data))


def to_npy(a: np.ndarray) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def from_npy(data: bytes) -> np.ndarray:
    import numpy as np

    return np.load(io.BytesIO(data))  # numpy's default refuses pickled objects


def ledger_frame(result: Result) -> pd.DataFrame:
    led = result.constraints.copy()
    for col in led.columns:  # lists and mixed objects as text: Parquet wants one type a column
        if led[col].dtype == object:
            led[col] = led[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return led


def json_dumps(v: Any) -> str:
    """JSON text of plain data (non-finite floats as null)."""
    return json.dumps(plain(v), ensure_ascii=False, indent=2, default=str)
