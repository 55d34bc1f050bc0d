"""Import clients and contacts from a CSV (a PSA export): preview first, then all or nothing.

Columns are matched by their header, case-insensitively, with the names PSA exports use
("Company", "Company Name", "Account"; "Contact", "Full Name", "First Name" + "Last Name";
"Email", "E-mail"; "Phone", "Phone Number"…). Rows of the same company become one client with
several contacts; a company that already exists (same name, not archived) gets the contacts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.core.errors import ApplicationError

from .models import Client, Contact
from .services import client_validate, contact_validate

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

ALIASES: dict[str, tuple[str, ...]] = {
    "company": (
        "company",
        "company name",
        "companyname",
        "account",
        "account name",
        "client",
        "client name",
        "organization",
        "organisation",
        "customer",
        "customer name",
    ),
    "contact": ("contact", "contact name", "full name", "name", "primary contact"),
    "first_name": ("first name", "firstname", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "contact email", "mail"),
    "phone": (
        "phone",
        "phone number",
        "telephone",
        "contact phone",
        "mobile",
        "work phone",
        "main phone",
    ),
    "role": ("role", "title", "job title", "position"),
    "industry": ("industry", "vertical", "market"),
    "website": ("website", "web site", "url", "web"),
    "address": ("address", "street address", "billing address"),
}


@dataclass
class ImportRow:
    """One data line of the file, its values and what is wrong with it."""

    line: int
    company: str
    contact: str
    email: str
    phone: str
    role: str = ""
    industry: str = ""
    website: str = ""
    address: str = ""
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "new client", "existing client"

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "company": self.company,
            "contact": self.contact,
            "email": self.email,
            "phone": self.phone,
            "role": self.role,
            "action": self.action,
            "errors": list(self.errors),
        }


@dataclass
class ImportPreview:
    """What an import would do; `errors` are file-level problems."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_clients: int = 0
    contacts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "errors": list(self.errors),
            "new_clients": self.new_clients,
            "contacts": self.contacts,
            "rows": [r.as_dict() for r in self.rows],
        }


def decode_upload(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError("The file is not text.", extra={"file": ["Upload a CSV file."]})


def _columns(header: list[str]) -> dict[str, int]:
    normalised = [h.strip().lower().replace("_", " ") for h in header]
    found: dict[str, int] = {}
    for key, names in ALIASES.items():
        for index, name in enumerate(normalised):
            if name in names:
                found[key] = index
                break
    return found


def client_import_preview(data: bytes | str) -> ImportPreview:
    """Parse and check a CSV without writing anything."""
    preview = ImportPreview()
    if len(data) > MAX_BYTES:
        preview.errors.append("The file is larger than 2 MB.")
        return preview
    text = decode_upload(data)
    try:
        sample = text[:4096]
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        preview.errors.append("The file is empty.")
        return preview
    except csv.Error as exc:
        preview.errors.append(f"Not a readable CSV: {exc}.")
        return preview
    columns = _columns(header)
    if "company" not in columns:
        preview.errors.append("No company column: name one “Company”, “Company Name” or “Account”.")
        return preview

    def cell(values: list[str], key: str) -> str:
        index = columns.get(key)
        return values[index].strip() if index is not None and index < len(values) else ""

    existing = {
        name.lower(): pk
        for pk, name in Client.objects.filter(archived_at__isnull=True).values_list("id", "name")
    }
    companies_new: set[str] = set()
    emails_seen: dict[str, int] = {}
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(preview.rows) >= MAX_ROWS:
                preview.errors.append(f"More than {MAX_ROWS} rows: split the file.")
                break
            contact = cell(values, "contact") or " ".join(
                p for p in (cell(values, "first_name"), cell(values, "last_name")) if p
            )
            row = ImportRow(
                line=reader.line_num,
                company=cell(values, "company"),
                contact=contact,
                email=cell(values, "email"),
                phone=cell(values, "phone"),
                role=cell(values, "role"),
                industry=cell(values, "industry"),
                website=cell(values, "website"),
                address=cell(values, "address"),
            )
            _check_row(row, emails_seen)
            if row.ok:
                key = row.company.lower()
                if key in existing:
                    row.action = "existing client"
                elif key in companies_new:
                    row.action = "same new client"
                else:
                    row.action = "new client"
                    companies_new.add(key)
                if row.contact:
                    preview.contacts += 1
            preview.rows.append(row)
    except csv.Error as exc:
        preview.errors.append(f"Line {reader.line_num}: {exc}.")
    if not preview.rows and not preview.errors:
        preview.errors.append("The file has a header but no rows.")
    preview.new_clients = len(companies_new)
    return preview


def _messages(exc: ApplicationError, labels: dict[str, str]) -> list[str]:
    return [
        f"{labels.get(key, key)}: {message}"
        for key, messages in exc.extra.items()
        for message in messages
    ]


def _check_row(row: ImportRow, emails_seen: dict[str, int]) -> None:
    try:
        client_validate(
            {
                "name": row.company,
                "industry": row.industry,
                "website": row.website,
                "address": row.address,
            },
            partial=False,
        )
    except ApplicationError as exc:
        row.errors.extend(_messages(exc, {"name": "Company"}))
    if row.contact or row.email or row.phone:
        if not row.contact:
            row.errors.append("Contact: the name is missing.")
        else:
            try:
                contact_validate(
                    {"name": row.contact, "email": row.email, "phone": row.phone, "role": row.role},
                    partial=False,
                )
            except ApplicationError as exc:
                row.errors.extend(_messages(exc, {"name": "Contact", "email": "E-mail"}))
    if row.email:
        key = row.email.lower()
        if key in emails_seen:
            row.errors.append(f"E-mail: also on line {emails_seen[key]}.")
        else:
            emails_seen[key] = row.line


@transaction.atomic
def client_import_commit(*, data: bytes | str, user) -> ImportPreview:
    """Write the whole file or nothing: any bad row refuses the import (ApplicationError)."""
    preview = client_import_preview(data)
    if not preview.ok:
        extra: dict[str, list[str]] = {}
        if preview.errors:
            extra["file"] = preview.errors
        for row in preview.bad_rows:
            extra[f"line {row.line}"] = row.errors
        raise ApplicationError("The file has errors; nothing was imported.", extra=extra)
    clients = {
        c.name.lower(): c for c in Client.objects.filter(archived_at__isnull=True).order_by("id")
    }
    for row in preview.rows:
        key = row.company.lower()
        client = clients.get(key)
        if client is None:
            clean = client_validate(
                {
                    "name": row.company,
                    "industry": row.industry,
                    "website": row.website,
                    "address": row.address,
                },
                partial=False,
            )
            client = Client.objects.create(owner=user, **clean)
            clients[key] = client
        if row.contact:
            clean = contact_validate(
                {"name": row.contact, "email": row.email, "phone": row.phone, "role": row.role},
                partial=False,
            )
            Contact.objects.create(client=client, **clean)
    return preview
