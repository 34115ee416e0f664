"""The parties of an email (sender, recipients) and the message itself, as FtM entities."""

from __future__ import annotations

import contextlib
import email.utils
import re
from email.message import EmailMessage

from followthemoney import Dataset
from followthemoney.statement import StatementEntity
from followthemoney.util import make_entity_id

#: The headers that name parties, and the Email property each fills.
PARTY_HEADERS = (("from", "emitters"), ("to", "recipients"), ("cc", "cc"), ("bcc", "bcc"))


def case_dataset(case: str | None) -> str:
    """The FtM dataset name of a case's entities: 'Iran drones' -> 'iran_drones'
    (FtM allows lower-case letters, digits and underscores); 'documents' without a case."""
    if not case:
        return "documents"
    slug = re.sub(r"[^a-z0-9]+", "_", case.lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"case_{slug}"


def make_dataset(name: str) -> Dataset:
    return Dataset.make({"name": name, "title": name})


def email_entities(message: EmailMessage, dataset_name: str) -> list[StatementEntity]:
    """An Email entity (subject, date, message id) and one LegalEntity per address, linked
    as emitter or recipient. A party's id comes from its address (lower case), so the same
    person writing twice is one entity; the name is the display name where given."""
    dataset = make_dataset(dataset_name)
    message_id = str(message["message-id"] or "").strip()
    subject = str(message["subject"] or "").strip()
    sent = str(message["date"] or "").strip()
    key = message_id or f"{sent}|{message['from']}|{subject}"
    mail = StatementEntity(dataset, {"schema": "Email", "id": make_entity_id("email", key)})
    if subject:
        mail.add("subject", subject)
        mail.add("title", subject)
    if message_id:
        mail.add("messageId", message_id)
    if sent:
        with contextlib.suppress(TypeError, ValueError):
            mail.add("date", email.utils.parsedate_to_datetime(sent).date().isoformat())
    parties: dict[str, StatementEntity] = {}
    for header, prop in PARTY_HEADERS:
        values = [str(v) for v in message.get_all(header, [])]
        for display, address in email.utils.getaddresses(values):
            address = address.strip().lower()
            if "@" not in address:
                continue
            party = parties.get(address)
            if party is None:
                party_id = make_entity_id("email-address", address)
                party = StatementEntity(dataset, {"schema": "LegalEntity", "id": party_id})
                party.add("email", address)
                party.add("name", display.strip() or address)
                parties[address] = party
            elif display.strip():
                party.add("name", display.strip())
            mail.add(prop, party.id)
    return [mail, *parties.values()]
