"""The fields of the intake form (F4), declared as data: each with its label, its kind and the
core validator the service uses for the same field (core.intake.FIELD_CHECKS), in the order of
the paper form. What a right value means is shown under it: what a CCCD number tells, a
waybill whose check digit does not match."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter_tui.core import validation as v
from counter_tui.core.i18n import t
from counter_tui.core.intake import CHANNELS, FIELD_CHECKS, LEVELS, POST_OPTIONS
from counter_tui.ui.forms import Field

if TYPE_CHECKING:
    from counter_tui.core.validation import IdNumber

ONLINE_LEVELS = LEVELS[:2]


def _id_info(ident: IdNumber) -> str:
    """What a CCCD number tells (the officer can compare it with the card)."""
    if ident.kind != "cccd":
        return ""
    return t("intake.form.id_info", kind="CCCD", gender=ident.gender_label,
             year=ident.birth_year, place=ident.province_name or t("intake.form.born_abroad"))


def _waybill_info(waybill: str) -> str:
    return t("intake.form.waybill_check") if v.waybill_check_ok(waybill) is False else ""


def _text(name: str, *, label: str = "", **kw: Any) -> Field:
    return Field(name, label or f"intake.form.{name}", check=FIELD_CHECKS.get(name), **kw)


def channel_fields() -> list[Field]:
    return [Field("channel", "intake.form.channel", "choice", value=CHANNELS[0],
                  options=tuple((c, f"intake.channel.{c}") for c in CHANNELS))]


def post_fields() -> list[Field]:
    return [
        Field("post_option", "intake.form.post_option", "choice", numbered=True,
              options=tuple((str(o), f"intake.post_option.{o}") for o in POST_OPTIONS)),
        _text("waybill", max_length=24, describe=_waybill_info),
        _text("postal_charge"),
        _text("delivery_address"),
    ]


def online_fields() -> list[Field]:
    return [
        _text("portal_code", max_length=44),
        Field("level", "intake.form.level", "choice",
              options=tuple((lv, lv) for lv in ONLINE_LEVELS)),
        Field("vneid", "intake.form.vneid", "flag"),
        Field("paid_online", "intake.form.paid_online", "flag"),
    ]


def applicant_fields() -> list[Field]:
    return [
        _text("applicant_name"),
        _text("id_number", describe=_id_info),
        _text("phone"),
        _text("address"),
        _text("email"),
        _text("representative"),
        _text("representative_id", describe=_id_info),
    ]


def other_fields() -> list[Field]:
    return [
        _text("sets", value="1", restrict=r"[0-9]*", max_length=2),
        _text("fee", label="intake.form.fee_field", placeholder="intake.form.fee_placeholder"),
        _text("note", max_length=1000),
    ]
