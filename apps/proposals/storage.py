"""Files of this app in the default storage, under ``org/<organization id>/...``, by hash.

A file's name is its content's SHA-256, so writing the same bytes twice stores one file, and a
stored name never changes meaning. The filesystem storage writes in place, so a writer killed
half-way can leave a short file behind: `store_by_hash` checks what is there and replaces it.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def org_path(organization_id: int, *parts: str) -> str:
    return "/".join(["org", str(int(organization_id)), *parts])


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_by_hash(*, organization_id: int, folder: str, content: bytes, extension: str) -> str:
    """Store `content` as org/<id>/<folder>/<sha256>.<extension>; returns the storage name."""
    digest = sha256_hex(content)
    name = org_path(organization_id, folder, f"{digest}.{extension}")
    if default_storage.exists(name):
        if sha256_hex(read_bytes(name)) == digest:
            return name
        default_storage.delete(name)  # a partial write from a killed worker
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # a concurrent writer got there first with the same bytes
        default_storage.delete(saved)
    return name


def read_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def file_count(organization_id: int, folder: str) -> int:
    """How many files the folder holds (tests and the benchmark count stored PDFs)."""
    path = org_path(organization_id, folder)
    if not default_storage.exists(path):
        return 0
    return len(default_storage.listdir(path)[1])
