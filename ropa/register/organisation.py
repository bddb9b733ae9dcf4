"""organisation.yaml: who the controller is, read as people write it, and checked for types.

The file is a mapping. What ``ropa`` reads from it, and the shapes it accepts:

- ``name`` (text), ``trading_names`` (a name or a list), ``role`` (controller, processor or
  both), ``employee_count`` (a whole number), ``sector``, ``supervisory_authority``;
- ``controller``: a mapping (``name``, ``address``, ``email``, ``phone``, ``contact``, ...)
  or just a name. Contact details written at the top level of the file (``address``,
  ``email``, ``phone``, ``contact``) are the controller's: they fill what ``controller:``
  leaves out, and the controller's name defaults to ``name``; the controller's ``country``
  (ISO 3166 alpha-2) defaults to the top-level ``country``, else to the country its address
  ends with ("Untermuli 9, CH-6399 Zug, Switzerland" is CH);
- ``dpo``: a mapping (``name``, ``email``, ``phone``, ``designated``, ``reason``,
  ``privacy_contact``, ...), or one line of text ("Jane Roe, dpo@clinic.example,
  +44 20 7946 0000", "Jane Roe <dpo@clinic.example>", an email address alone) read as name,
  email and phone; ``none``, ``no`` or ``false`` mean no DPO is designated;
- ``representative``: a mapping or text (``null`` when none is needed);
- ``joint_controllers`` and ``controllers`` (those served as processor): lists whose items
  are mappings or names.

Everything else in the file is kept as it is. After reading, these entries always have the
mapping shape, so the rest of ``ropa`` reads one shape. A value of the wrong type (a number
where a name or mapping belongs) is an error naming the file, the key and its line.

Example:
    >>> from ropa.register.organisation import organisation_from_yaml
    >>> org, findings = organisation_from_yaml(
    ...     "name: Clinic\\naddress: 1 High St\\nemail: hello@clinic.example\\ndpo: Jane Roe\\n", "o.yaml")
    >>> org["controller"], org["dpo"]
    ({'name': 'Clinic', 'address': '1 High St', 'email': 'hello@clinic.example'}, {'name': 'Jane Roe'})
    >>> org, _ = organisation_from_yaml("name: Wire\\ncontroller:\\n  address: Untermuli 9, 6300 Zug, Switzerland\\n"
    ...                                 "dpo: Data Protection Officer, privacy@wire.com\\n", "o.yaml")
    >>> org["controller"]["country"], org["dpo"]
    ('CH', {'name': 'Data Protection Officer', 'email': 'privacy@wire.com'})
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict

from ..core.countries import country_from_address
from ..core.errors import RegisterLoadError
from ..core.findings import duplicate_key_findings
from ..core.yamlio import YamlDocument, parse_yaml, read_yaml, validate

__all__ = ["CONTACT_KEYS", "organisation_from_yaml", "read_organisation"]

#: The keys of a party's contact details.
CONTACT_KEYS: tuple[str, ...] = ("address", "email", "phone", "contact")

_NO = frozenset({"none", "no", "false", "n/a", "not designated", "not applicable", "-"})


def _text(value: Any) -> Any:
    """Numbers (a phone number written without quotes, a year) read as text; other types left
    for the model to refuse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


Text = Annotated[str | None, BeforeValidator(_text)]


class Party(BaseModel):
    """A controller, joint controller, representative or DPO: a name and contact details."""

    model_config = ConfigDict(extra="allow")

    id: Text = None
    name: Text = None
    address: Text = None
    email: Text = None
    phone: Text = None
    contact: Text = None
    country: Text = None


def _party(value: Any) -> Any:
    if value is None or isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        return {"name": value.strip()} if value.strip() else None
    raise ValueError("expected a name, or a mapping with name, address, email and phone")


_EMAIL = re.compile(r"<?([^\s<>,;]+@[^\s<>,;]+\.[^\s<>,;]+)>?")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{6,}$")


def _contact_text(text: str) -> dict[str, str]:
    """A party written as one line ("Jane Roe, dpo@clinic.example, +44 20 7946 0000" or
    "Jane Roe <dpo@clinic.example>"): its email, phone and name."""
    out: dict[str, str] = {}
    found = _EMAIL.search(text)
    if found:
        out["email"] = found.group(1)
        text = text[:found.start()] + text[found.end():]
    rest = []
    for part in (p.strip() for p in re.split(r"[,;]", text)):
        if not part:
            continue
        if _PHONE.match(part) and "phone" not in out:
            out["phone"] = part
        else:
            rest.append(part)
    if rest:
        out = {"name": ", ".join(rest), **out}
    return out


def _dpo(value: Any) -> Any:
    if isinstance(value, bool) and value is False:
        return {"designated": False}
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _NO:
            return {"designated": False}
        if text:
            return _contact_text(text)
    return _party(value)


def _parties(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str | Mapping):
        return [value]
    return value


def _names(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


def _count(value: Any) -> Any:
    if isinstance(value, str) and value.strip().replace(",", "").replace("_", "").isdigit():
        return int(value.strip().replace(",", "").replace("_", ""))
    if isinstance(value, str) and not value.strip():
        return None
    return value


class Dpo(Party):
    """The data-protection officer, or why none is designated."""

    designated: bool | None = None
    reason: Text = None
    privacy_contact: Text = None


PartyField = Annotated[Party | None, BeforeValidator(_party)]


class OrganisationFile(BaseModel):
    """The keys of organisation.yaml that ``ropa`` reads, with the types they must have."""

    model_config = ConfigDict(extra="allow")

    name: Text = None
    trading_names: Annotated[list[Annotated[str, BeforeValidator(_text)]], BeforeValidator(_names)] = []
    role: Text = None
    employee_count: Annotated[int | None, BeforeValidator(_count)] = None
    sector: Text = None
    supervisory_authority: Annotated[Party | str | None, BeforeValidator(_text)] = None
    controller: PartyField = None
    dpo: Annotated[Dpo | None, BeforeValidator(_dpo)] = None
    representative: PartyField = None
    joint_controllers: Annotated[list[Annotated[Party, BeforeValidator(_party)]],
                                 BeforeValidator(_parties)] = []
    controllers: Annotated[list[Annotated[Party, BeforeValidator(_party)]],
                           BeforeValidator(_parties)] = []


def _dump(model: BaseModel, written: Any = None) -> dict[str, Any]:
    """A model's fields that were given, as a mapping (extras kept), in the order the file
    wrote them."""
    out = model.model_dump(exclude_unset=True, exclude_none=False)
    if isinstance(written, Mapping):
        order = [k for k in written if k in out] + [k for k in out if k not in written]
        out = {k: out[k] for k in order}
    return out


def _normalise(doc: YamlDocument) -> dict[str, Any]:
    data = doc.data
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RegisterLoadError("expected a mapping (name, controller, dpo, role, ...), not "
                                f"{'a list' if isinstance(data, list) else 'a single value'}", doc.path, 1)
    model = validate(doc, OrganisationFile, error=RegisterLoadError)
    org = dict(data)
    given = model.model_fields_set
    for key in ("controller", "dpo", "representative"):
        if key in given:
            value = getattr(model, key)
            org[key] = _dump(value, data[key]) if value is not None else None
    for key in ("joint_controllers", "controllers"):
        if key in given:
            written = data[key] if isinstance(data[key], list) else [data[key]]
            org[key] = [_dump(p, w) for p, w in zip(getattr(model, key), written, strict=True)]
    if "trading_names" in given:
        org["trading_names"] = list(model.trading_names)
    if "employee_count" in given:
        org["employee_count"] = model.employee_count
    for key in ("name", "role", "sector"):
        if key in given and getattr(model, key) is not None:
            org[key] = getattr(model, key)
    top = {k: str(org[k]) for k in CONTACT_KEYS if org.get(k) not in (None, "")}
    controller = dict(org.get("controller") or {})
    for key, value in top.items():
        if controller.get(key) in (None, ""):
            controller[key] = value
    if controller and not controller.get("name") and org.get("name"):
        controller = {"name": str(org["name"]), **{k: v for k, v in controller.items() if k != "name"}}
    if controller.get("address") and not controller.get("country"):
        country = org.get("country") or country_from_address(str(controller["address"]))
        if country:
            controller["country"] = str(country)
    if controller:
        org["controller"] = controller
    return org


def organisation_from_yaml(text: str, path: str | Path) -> tuple[dict[str, Any], list[pd.DataFrame]]:
    """organisation.yaml's text as the organisation mapping, and findings about the file."""
    doc = parse_yaml(text, path, error=RegisterLoadError)
    found = duplicate_key_findings(doc)
    return _normalise(doc), [found] if found is not None else []


def read_organisation(path: Path | None) -> tuple[dict[str, Any], list[pd.DataFrame]]:
    """Read organisation.yaml (see the module docstring); ``({}, [])`` when there is none.

    Raises:
        RegisterLoadError: the file cannot be read, is not YAML, passes a limit, or a key
            has a value of the wrong type (the message names the key and its line).
    """
    if path is None:
        return {}, []
    doc = read_yaml(path, error=RegisterLoadError)
    found = duplicate_key_findings(doc)
    return _normalise(doc), [found] if found is not None else []
