"""The run store's approval trail: draft → reviewed → approved, each by someone other than the
author; a draft's or reviewed run's name and note; deleting a draft."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fiscal.errors import StoreError
from fiscal.prose.messages import Message
from fiscal.store import tables as T
from fiscal.store.codec import utc_now
from fiscal.store.connection import default_author
from fiscal.store.queries import Queries
from fiscal.store.records import RunInfo

__all__ = ["Approval"]


class Approval(Queries):
    """The trail's changes of a run (an approved run is immutable)."""

    # ------------------------------------------------------------------ the trail
    def _transition(self, ref: int | str, who: str | None, action: str, note: str) -> RunInfo:
        who = (who or default_author()).strip()
        if not who:
            raise StoreError(Message("store.say_who", action=action))
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            want = {"review": "draft", "approve": "reviewed"}[action]
            if info.status != want:
                hint = Message(f"store.hint_{info.status}")
                m = Message(
                    "store.wrong_status",
                    action=action,
                    run=info.label_text(),
                    status=info.status,
                    want=want,
                    hint=hint,
                )
                raise StoreError(m)
            if who == info.author:
                m = Message("store.own_run", action=action, run=info.label_text(), who=who)
                raise StoreError(m)
            now = utc_now()
            if action == "review":
                values = {"status": "reviewed", "reviewed_by": who, "reviewed_at": now}
            else:
                values = {"status": "approved", "approved_by": who, "approved_at": now}
            # the WHERE on status makes the change conditional: a concurrent change wins once
            done = conn.execute(
                sa.update(T.runs)
                .where(T.runs.c.id == info.id, T.runs.c.status == want)
                .values(**values)
            )
            if done.rowcount != 1:
                raise StoreError(Message("store.changed", run=info.label_text()))
            self._event(
                conn, info.id, who, action + "d" if action == "approve" else "reviewed", note
            )
            return self._get(conn, info.id)

    def review(self, ref: int | str, who: str | None = None, note: str = "") -> RunInfo:
        """draft → reviewed, by someone other than the author."""
        return self._transition(ref, who, "review", note)

    def approve(self, ref: int | str, who: str | None = None, note: str = "") -> RunInfo:
        """reviewed → approved, by someone other than the author; the run is then immutable."""
        return self._transition(ref, who, "approve", note)

    def edit(
        self,
        ref: int | str,
        *,
        name: str | None = None,
        note: str | None = None,
        who: str | None = None,
    ) -> RunInfo:
        """Change a draft's or reviewed run's name or note; a reviewed run returns to draft."""
        who = (who or default_author()).strip()
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            if info.approved:
                raise StoreError(Message("store.immutable", run=info.label_text()))
            values: dict[str, Any] = {}
            events = []  # (action, detail): the new name or note, as typed
            if name is not None and name.strip() != info.name:
                if not name.strip() or len(name.strip()) > 200:
                    raise StoreError(Message("store.name_length_bare"))
                values["name"] = name.strip()
                events.append(("renamed", f"{info.name} → {name.strip()}"))
            if note is not None and note != info.note:
                values["note"] = note
                events.append(("noted", note))
            if not values:
                return info
            if info.status == "reviewed":  # the review was of the run as it was
                values.update(status="draft", reviewed_by=None, reviewed_at=None)
                events.append(("review withdrawn", ""))
            conn.execute(sa.update(T.runs).where(T.runs.c.id == info.id).values(**values))
            for action, detail in events:
                self._event(conn, info.id, who, action, detail)
            return self._get(conn, info.id)

    def delete(self, ref: int | str) -> None:
        """Delete a draft that no other run builds on (reviewed and approved runs stay)."""
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            if info.status != "draft":
                m = Message("store.delete_status", run=info.label_text(), status=info.status)
                raise StoreError(m)
            child = conn.execute(
                sa.select(T.runs.c.id).where(T.runs.c.parent_id == info.id)
            ).first()
            if child is not None:
                raise StoreError(
                    Message("store.delete_child", run=info.label_text(), child=child[0])
                )
            for table in (T.run_events, T.run_outputs):
                conn.execute(sa.delete(table).where(table.c.run_id == info.id))
            conn.execute(sa.delete(T.runs).where(T.runs.c.id == info.id))
