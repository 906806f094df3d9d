"""Event edits: add (on an existing trigger or with a new one), change, delete, and the
arguments that fill an event's roles, checked against the role's cardinality."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from annotator.core.changes import Changes
from annotator.core.model import Argument, Event, new_id, now
from annotator.core.ops.common import (
    EditOps,
    fill_provenance,
    require_known_fields,
    require_same_doc,
    require_same_set,
)
from annotator.core.schema import EventType
from annotator.errors import NotFoundError, ValidationError
from annotator.store import rows as R

EVENT_FIELDS = ("type", "trigger_id", "attrs", "note", "status", "origin")


class EventOps(EditOps):
    def add_event(self, type: str, trigger_id: str, *, attrs: dict[str, Any] | None,
                  arguments: Iterable[tuple[str, str]], note: str, status: str, origin: str,
                  id: str | None) -> Event:
        """An event on an existing span (which becomes its trigger); the attributes stored are
        the ones given (schema defaults are read through ``Schema.effective_attrs``)."""
        project = self.project
        if project.schema.event_types and project.schema.event_type(type) is None:
            raise ValidationError(f"event type {type!r} is not in the schema")
        trigger = project.span(trigger_id)
        self.require_new_id("events", id)
        ev = Event(id=id or new_id(), doc_id=trigger.doc_id, type=type, trigger_id=trigger_id,
                   attrs=dict(attrs or {}), note=note, status=status, origin=origin,
                   annotator=trigger.annotator)
        fill_provenance(ev, project.annotator, now(), force=True)
        with project.compound(f"Add event {type}"):
            if trigger.kind != "trigger" or trigger.label != type:
                project.update_span(trigger_id, label=type, kind="trigger")
            self.record("events", None, R.event_to_row(ev), ev.doc_id)
            for role, filler in arguments:
                ev.arguments.append(self.add_argument(ev.id, role, filler))
        return ev

    def add_trigger_event(self, doc_id: str, start: int, end: int, type: str, *,
                          attrs: dict[str, Any] | None, arguments: Iterable[tuple[str, str]]
                          ) -> Event:
        """Create the trigger span and its event in one undo step."""
        with self.project.compound(f"Add event {type}"):
            trigger = self.project.add_span(doc_id, start, end, type, kind="trigger")
            return self.add_event(type, trigger.id, attrs=attrs, arguments=arguments, note="",
                                  status="gold", origin="manual", id=None)

    def update_event(self, event_id: str, fields: dict[str, Any]) -> Event:
        require_known_fields(fields, EVENT_FIELDS, "event")
        project = self.project
        old = project.event(event_id)
        if "type" in fields and project.schema.event_types and \
                project.schema.event_type(fields["type"]) is None:
            raise ValidationError(f"event type {fields['type']!r} is not in the schema")
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        if new.trigger_id != old.trigger_id:
            trigger = project.span(new.trigger_id)
            require_same_doc(trigger.doc_id, old.doc_id, "a trigger")
            require_same_set(trigger.annotator, old.annotator, "a trigger")
        new.modified_by, new.modified_at = project.annotator, now()
        with project.compound(f"Edit event {new.type}"):
            self.record("events", R.event_to_row(old), R.event_to_row(new), old.doc_id)
            if new.type != old.type or new.trigger_id != old.trigger_id:
                trig = project.span(new.trigger_id)
                if trig.label != new.type or trig.kind != "trigger":
                    project.update_span(trig.id, label=new.type, kind="trigger")
        return new

    def delete_event(self, event_id: str) -> Changes:
        """Delete an event, its arguments and arguments that point at it (trigger span stays)."""
        old = self.project.event(event_id)
        with self.project.compound(f"Delete event {old.type}") as changes:
            self.delete_event_rows(event_id)
        return changes

    def delete_event_rows(self, event_id: str) -> None:
        """Record the deletion of an event and every argument of it or filled by it."""
        row = self.store.get_row("events", event_id)
        if row is None:
            return
        for arg in self.store.arguments_filled_by_event(event_id):
            self.record("event_args", arg, None, row["doc_id"])
        for arg in self.store.argument_rows(event_id):
            self.record("event_args", arg, None, row["doc_id"])
        self.record("events", row, None, row["doc_id"])

    def add_argument(self, event_id: str, role: str, filler_id: str) -> Argument:
        """Fill ``role`` of an event with a span or another event of the same document and
        set. Refused when the filler already fills that role, or when the role already has
        as many fillers as its cardinality allows."""
        ev_row = self.store.get_row("events", event_id)
        if ev_row is None:
            raise NotFoundError(f"no event with id {event_id}")
        et = self.project.schema.event_type(ev_row["type"])
        if et is not None and et.role(role) is None:
            raise ValidationError(f"{ev_row['type']} has no role {role!r}; roles: "
                                  f"{', '.join(r.name for r in et.roles)}")
        kind = self._filler_kind(event_id, filler_id, ev_row)
        existing = [R.row_to_argument(a) for a in self.store.argument_rows(event_id)]
        _check_room(et, ev_row["type"], role, kind, filler_id, existing)
        arg = Argument(id=new_id(), event_id=event_id, role=role, filler_id=filler_id,
                       filler_kind=kind, position=len(existing))
        with self.project.compound(f"Add {role}"):
            self.record("event_args", None, R.argument_to_row(arg), ev_row["doc_id"])
            self._touch_event(ev_row)
        return arg

    def _filler_kind(self, event_id: str, filler_id: str, ev_row: dict[str, Any]) -> str:
        """"span" or "event": what ``filler_id`` names, checked to belong with the event."""
        if (filler := self.store.get_row("spans", filler_id)) is not None:
            kind = "span"
        elif (filler := self.store.get_row("events", filler_id)) is not None:
            kind = "event"
            if filler_id == event_id:
                raise ValidationError("an event cannot be its own argument")
        else:
            raise NotFoundError(f"no span or event with id {filler_id}")
        require_same_doc(filler["doc_id"], ev_row["doc_id"], "an argument")
        require_same_set(filler["annotator"], ev_row["annotator"], "an argument")
        return kind

    def remove_argument(self, argument_id: str) -> Changes:
        row = self.store.get_row("event_args", argument_id)
        if row is None:
            raise NotFoundError(f"no argument with id {argument_id}")
        ev_row = self.store.get_row("events", row["event_id"])
        assert ev_row is not None, "an argument's event exists (foreign key)"
        with self.project.compound(f"Remove {row['role']}") as changes:
            self.record("event_args", row, None, ev_row["doc_id"])
            self._touch_event(ev_row)
        return changes

    def _touch_event(self, ev_row: dict[str, Any]) -> None:
        self.record("events", ev_row, {**ev_row, **self.stamp()}, ev_row["doc_id"])


def _check_room(et: EventType | None, type_name: str, role: str, kind: str, filler_id: str,
                existing: list[Argument]) -> None:
    """Refuse a filler that already fills ``role``, or a role that is full (a rejected
    suggestion fills nothing: the annotator may still fill the role by hand)."""
    fillers = [a.filler_id for a in existing if a.role == role and a.status != "rejected"]
    if filler_id in fillers:
        raise ValidationError(f"that {kind} already fills {role} of this {type_name} event")
    definition = et.role(role) if et is not None else None
    if definition is None:
        return
    most = definition.bounds[1]
    if most is not None and len(fillers) >= most:
        raise ValidationError(
            f"{role} of {type_name} takes at most {most} filler{'' if most == 1 else 's'} "
            f"(cardinality {definition.cardinality}) and has {len(fillers)}: remove one first")
