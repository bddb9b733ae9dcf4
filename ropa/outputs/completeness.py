"""How complete each activity's Art 30 entry is: one grade per item (filled, partial, missing), a
reason for each gap, and the organisation's score."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..core.durations import is_duration
from ..register.model import live_activities
from .cells import cell_text
from .parties import activity_joint_controllers, controller_entries
from .record import ITEMS, special_category_labels
from .transfers import activity_transfers, recipient_table

__all__ = ["COMPLETENESS_STATUS", "completeness"]


#: Completeness grades, worst first.
COMPLETENESS_STATUS = pd.CategoricalDtype(["missing", "partial", "filled"], ordered=True)
_GRADE = {"missing": 0.0, "partial": 0.5, "filled": 1.0}


def completeness(register: Any, include_retired: bool = False, detail: bool = False) -> pd.DataFrame:
    """How complete each activity's Art 30 entry is: ``filled``, ``partial`` or ``missing``.

    One row per activity; one column per Art 30 item (``"30(1)(a)"`` ... ``"30(1)(g)"`` for
    controller activities, ``"30(2)(a)"`` ... ``"30(2)(d)"`` for processor activities; items
    that do not apply to an activity's role are empty), graded with the ordered categorical
    :data:`COMPLETENESS_STATUS`, and ``score``: the activity's mean grade (filled 1, partial
    0.5, missing 0). ``frame.attrs["score"]`` is the organisation's overall score, the mean
    grade over every applicable cell (a fraction from 0 to 1); ``frame.attrs["items"]`` maps
    each item to its title.

    The grades:

    - (a) / 30(2)(a): filled when the controller (processor) is named with contact details
      and the DPO is recorded (or recorded as not designated), and every joint controller or
      controller acted for is identified with contact details; partial when some of that is
      missing; missing without a controller name (or, for 30(2), without any controller).
    - (b): filled with purpose keys and a description; partial with only one of them, or
      with keys the taxonomy does not know; missing with neither.
      30(2)(b) is the same for the categories of processing.
    - (c): filled with data subjects and data categories (and, where the categories imply
      Art 9 data, the special categories declared); partial with one of them, or special
      data not declared; missing with neither.
    - (d): filled when recipients are listed (``none`` counts) and all are known recipients
      or recipient categories; partial when some are unknown; missing when empty.
    - (e) / 30(2)(c): filled when there is no transfer or every transfer is covered by an
      adequacy decision or a safeguard (``adequacy`` does not cover the US, whose decision
      needs ``dpf`` certification); partial when some are not covered, or a named
      recipient's country is not recorded; missing when transfers have no safeguard at all.
    - (f): filled with an ISO 8601 duration, or a stated criterion together with its trigger;
      partial with a criterion but no trigger, or a malformed duration; missing when empty.
    - (g) / 30(2)(d): filled with two or more measures (a general description covers both
      technical and organisational measures, which one entry rarely does); partial with one;
      missing with none.

    With ``detail=True`` the result is long instead: activity_id, role, item, title, status
    and reason (why it is not filled).

    Example:
        >>> import ropa
        >>> table = ropa.completeness(ropa.load_register("registers/pro-at"))
        >>> str(table.set_index("activity_id").at["A15", "30(1)(g)"])
        'missing'
        >>> 0 < table.attrs["score"] <= 1
        True

    .. versionadded:: 0.1
    """
    acts = live_activities(register.activities.reset_index(drop=True), include_retired)
    long = _grades(register, acts)
    items = list(ITEMS)
    if detail:
        out = long.copy()
        out["title"] = out["item"].map(ITEMS)
        out = out[["activity_id", "name", "role", "item", "title", "status", "reason"]]
        out["status"] = out["status"].astype(COMPLETENESS_STATUS)
        out.attrs["score"] = _score(long)
        out.attrs["items"] = dict(ITEMS)
        return out.reset_index(drop=True)
    wide = long.pivot(index="_row", columns="item", values="status")
    wide = wide.reindex(columns=[i for i in items if i in wide.columns])
    base = long.drop_duplicates("_row").set_index("_row")[["activity_id", "name", "role"]]
    frame = base.join(wide)
    for item in items:
        if item not in frame:
            frame[item] = np.nan
        frame[item] = frame[item].astype(COMPLETENESS_STATUS)
    grade = long.assign(g=long["status"].map(_GRADE)).groupby("_row", sort=False)["g"].mean()
    frame["score"] = grade.reindex(frame.index).round(3)
    frame = frame.reset_index(drop=True)[["activity_id", "name", "role", *items, "score"]]
    frame.attrs["score"] = _score(long)
    frame.attrs["items"] = dict(ITEMS)
    return frame


def _score(long: pd.DataFrame) -> float:
    if long.empty:
        return 1.0
    return round(float(long["status"].map(_GRADE).mean()), 4)


def _grades(register: Any, acts: pd.DataFrame) -> pd.DataFrame:
    """Long table of grades: _row, activity_id, name, role, item, status, reason."""
    tax = register.taxonomy
    org = register.organisation or {}
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    is_proc = np.array(roles == "processor", dtype=bool)
    n = len(acts)
    parts: list[pd.DataFrame] = []

    def add(item: str, status: np.ndarray, reason: np.ndarray, mask: np.ndarray) -> None:
        parts.append(pd.DataFrame({
            "_row": np.arange(n)[mask], "item": item,
            "status": np.asarray(status, dtype=object)[mask], "reason": np.asarray(reason, dtype=object)[mask],
        }))

    def grade(filled: np.ndarray, partial: np.ndarray, reasons_partial: Any, reason_missing: str):
        status = np.where(filled, "filled", np.where(partial, "partial", "missing"))
        reason = np.where(filled, "", np.where(partial, reasons_partial, reason_missing))
        return status, reason

    def nonempty(col: str) -> np.ndarray:
        return acts[col].map(lambda v: any(str(x).strip() for x in v)).to_numpy(dtype=bool)

    def text(col: str) -> np.ndarray:
        return (acts[col].fillna("").astype(str).str.strip() != "").to_numpy()

    def all_known(col: str, kind: str, extra: Callable[[str], bool] | None = None) -> np.ndarray:
        ex = acts[col].explode().dropna().astype(str)
        ex = ex[ex.str.strip() != ""]
        if ex.empty:
            return np.ones(n, dtype=bool)
        ok = tax.known(kind, ex.to_numpy())
        if extra is not None:
            ok = ok | ex.map(extra).to_numpy(dtype=bool)
        bad_rows = set(ex.index[~ok])
        return np.array([i not in bad_rows for i in acts.index], dtype=bool)

    ctrl = org.get("controller") or {}
    has_name = bool(cell_text(ctrl.get("name") if isinstance(ctrl, Mapping) else ctrl) or cell_text(org.get("name")))
    has_contact = isinstance(ctrl, Mapping) and any(cell_text(ctrl.get(k)) for k in ("email", "phone", "address"))
    dpo = org.get("dpo")
    dpo_ok = dpo is not None and (
        not isinstance(dpo, Mapping) or dpo.get("designated", True) is False
        or any(cell_text(dpo.get(k)) for k in ("email", "phone")))

    # (a) controller side
    joint = activity_joint_controllers(register, acts, contacts=True)
    needs_joint = np.array(roles == "joint_controller", dtype=bool)
    rec_table = recipient_table(register)
    jc_ids = set(rec_table.index[rec_table["kind"] == "joint_controller"]) if len(rec_table) else set()
    needs_joint |= acts["recipients"].map(lambda v: any(r in jc_ids for r in v)).to_numpy(dtype=bool)
    joint_ok = ~needs_joint | joint.map(lambda v: bool(v) and all(c for _, c in v)).to_numpy(dtype=bool)
    reasons_a = []
    for jok, has_j in zip(joint_ok, joint.map(bool), strict=True):
        why = []
        if not has_contact:
            why.append("controller contact details not recorded")
        if not dpo_ok:
            why.append("DPO not recorded (or without contact details)")
        if not jok:
            why.append("joint controller " + ("without contact details" if has_j else "not identified"))
        reasons_a.append("; ".join(why))
    filled_a = np.full(n, has_name and has_contact and dpo_ok) & joint_ok
    status, reason = grade(filled_a, np.full(n, has_name), np.array(reasons_a, dtype=object),
                           "controller not named in organisation.yaml")
    add("30(1)(a)", status, reason, ~is_proc)

    # (b) purposes
    keys_ok = nonempty("purposes")
    desc_ok = text("purpose_description")
    known_b = all_known("purposes", "data_use")
    why_b = np.where(~keys_ok, "no purpose keys", np.where(~desc_ok, "no purpose description",
                                                          "purpose keys not in the taxonomy"))
    status, reason = grade(keys_ok & desc_ok & known_b, keys_ok | desc_ok, why_b, "no purposes")
    add("30(1)(b)", status, reason, ~is_proc)
    add("30(2)(b)", status, np.where(status == "missing", "no categories of processing", reason), is_proc)

    # (c) subjects and categories
    subj = nonempty("data_subjects")
    cats = nonempty("data_categories")
    declared = nonempty("special_categories")
    implied = special_category_labels(register, acts).map(bool).to_numpy(dtype=bool)
    special_ok = ~implied | declared
    why_c = np.where(~subj, "no categories of data subjects",
                     np.where(~cats, "no categories of personal data",
                              "data categories include special-category data not declared"))
    status, reason = grade(subj & cats & special_ok, subj | cats, why_c,
                           "no data subjects and no data categories")
    add("30(1)(c)", status, reason, ~is_proc)

    # (d) recipients
    rec_ids = set(rec_table.index)
    listed = nonempty("recipients")
    known_d = all_known("recipients", "recipient", lambda v: v in rec_ids or v.strip().lower() == "none")
    status, reason = grade(listed & known_d, listed, "recipients not in recipients.csv nor the taxonomy",
                           "no recipients recorded (write `none` if there are none)")
    add("30(1)(d)", status, reason, ~is_proc)

    # (e) transfers
    transfers = activity_transfers(register, acts)
    blank_country = set(rec_table.index[(rec_table["country"] == "")
                                        & ~rec_table["kind"].isin(["internal"])]) if len(rec_table) else set()
    unknown_where = acts["recipients"].map(lambda v: [r for r in v if r in blank_country])
    covered = transfers.map(lambda ts: [t["covered"] for t in ts])
    all_cov = covered.map(all).to_numpy(dtype=bool)
    # missing only when transfers exist and none has anything recorded that could cover it
    nothing = transfers.map(lambda ts: bool(ts) and all(
        not t["covered"] and t["safeguard_name"] == "No safeguard recorded" for t in ts))
    any_cov = ~nothing.to_numpy(dtype=bool)
    no_unknown = unknown_where.map(lambda v: not v).to_numpy(dtype=bool)
    why_e = np.where(~all_cov, [
        "no safeguard that covers the transfer to "
        + ", ".join(f"{t['country_name']}" + (f" ({t['recipient']})" if t["recipient"] else "")
                    for t in ts if not t["covered"])
        for ts in transfers], [
        "country not recorded for recipient " + ", ".join(u) for u in unknown_where])
    status, reason = grade(all_cov & no_unknown, any_cov, why_e, why_e)
    add("30(1)(e)", status, reason, ~is_proc)
    add("30(2)(c)", status, reason, is_proc)

    # (f) retention
    ret = acts["retention"].fillna("").astype(str).str.strip()
    trig = text("retention_trigger")
    uniq = {u: is_duration(u) for u in pd.unique(ret)}
    duration = ret.map(uniq).to_numpy(dtype=bool)
    present = (ret != "").to_numpy()
    looks_iso = ret.str.match(r"^P(?=[\dT])", na=False).to_numpy() & ~ret.str.contains(" ", regex=False).to_numpy()
    why_f = np.where(looks_iso & ~duration, "retention is not a valid ISO 8601 duration",
                     "a criterion without its trigger (retention_trigger)")
    status, reason = grade(duration | (present & ~looks_iso & trig), present, why_f, "no retention period")
    add("30(1)(f)", status, reason, ~is_proc)

    # (g) security measures
    count = acts["security_measures"].map(lambda v: len({str(x).strip().lower() for x in v if str(x).strip()})).to_numpy()
    status, reason = grade(count >= 2, count >= 1, "a single measure: describe technical and organisational measures",
                           "no security measures")
    add("30(1)(g)", status, reason, ~is_proc)
    add("30(2)(d)", status, reason, is_proc)

    # 30(2)(a) processor side
    entries, lookup = controller_entries(register)
    proc_ok, proc_partial, why_pa = [], [], []
    for refs in acts["controllers"]:
        refs = [str(r).strip() for r in refs if str(r).strip()]
        found = [lookup.get(r.lower()) for r in refs]
        resolved = [entries[i] for i in found if i is not None]
        with_contact = [e for e in resolved if e["has_contact"]]
        why = []
        if not refs:
            why.append("no controller recorded")
        elif len(resolved) < len(refs):
            why.append("controller not in organisation.yaml `controllers`: "
                       + ", ".join(r for r, i in zip(refs, found, strict=True) if i is None))
        elif len(with_contact) < len(resolved):
            why.append("controller without contact details")
        if not has_contact:
            why.append("processor contact details not recorded")
        if not dpo_ok:
            why.append("DPO not recorded")
        proc_ok.append(bool(refs) and len(with_contact) == len(refs) and has_contact and dpo_ok)
        proc_partial.append(bool(refs))
        why_pa.append("; ".join(why))
    status, reason = grade(np.array(proc_ok, dtype=bool), np.array(proc_partial, dtype=bool),
                           np.array(why_pa, dtype=object), "no controller recorded")
    add("30(2)(a)", status, reason, is_proc)

    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["_row", "item", "status", "reason"])
    info = pd.DataFrame({"activity_id": acts["activity_id"].astype(str).to_numpy(),
                         "name": acts["name"].astype(str).to_numpy(), "role": roles.to_numpy()})
    long = long.join(info, on="_row")
    order = {item: i for i, item in enumerate(ITEMS)}
    long = long.assign(_item=long["item"].map(order)).sort_values(["_row", "_item"], kind="stable")
    return long.drop(columns="_item").reset_index(drop=True)
