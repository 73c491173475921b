"""A check run on GPX and TCX text before an XML parser sees it.

Activity files never need a DTD; refusing any document type declaration shuts out entity
expansion ("billion laughs") and external entities whatever the parser's defaults."""

from __future__ import annotations


class UnsafeXml(Exception):
    """The document declares a DTD or entities, or is not XML text at all."""


def check_xml(data: bytes, root_tag: str) -> None:
    """Raise UnsafeXml unless ``data`` looks like an XML document whose root is ``root_tag``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        raise UnsafeXml("this is not an XML file")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeXml(
            "the file declares a document type or entities, which activity files never do"
        )
    if root_tag.encode() not in head:
        raise UnsafeXml(f"this XML file is not a {root_tag} file")
