"""Which procedure an officer meant by what they typed (core.intake.rank_procedures), and that a
form's field is checked by the same validator as the whole draft (core.intake.check_field)."""

from __future__ import annotations

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.intake import FIELD_CHECKS, check_field, rank_procedures
from counter_tui.core.views import ProcedureView


def procedure(code: str, name: str) -> ProcedureView:
    return ProcedureView(id=0, code=code, national_code="", name=name, field="Hộ tịch",
                         level="toàn trình", processing_days=0, same_day_cutoff=None,
                         fee_vnd=0, fee_online_vnd=0, fee_note="")


CATALOGUE = [
    procedure("HT-KSKT", "Đăng ký khai sinh kết hợp đăng ký thường trú"),
    procedure("HT-XNHN", "Cấp giấy xác nhận tình trạng hôn nhân"),
    procedure("HT-KS", "Đăng ký khai sinh"),
    procedure("HT-KSLD", "Đăng ký khai sinh lưu động"),
    procedure("HT-KT", "Đăng ký khai tử"),
]


@pytest.mark.parametrize(("typed", "first"), [
    ("dang ky khai sinh", "HT-KS"),  # the plain procedure before the combined ones
    ("ĐĂNG KÝ KHAI SINH", "HT-KS"),  # case and marks do not matter
    ("khai sinh luu dong", "HT-KSLD"),  # every typed word, as whole words
    ("ht-kt", "HT-KT"),  # the exact code first
    ("hon nhan", "HT-XNHN"),  # whole words beat "hon" inside "thông"
])
def test_the_best_match_comes_first(typed: str, first: str) -> None:
    assert rank_procedures(CATALOGUE, typed)[0].code == first


def test_ranking_keeps_every_match() -> None:
    ranked = rank_procedures(CATALOGUE, "khai")
    assert sorted(p.code for p in ranked) == sorted(p.code for p in CATALOGUE)


def test_a_field_is_checked_as_the_draft_checks_it() -> None:
    assert check_field("phone", "0912 345 678") == "0912345678"
    with pytest.raises(UserError) as refused:
        check_field("id_number", "0010900123")
    assert refused.value.field == "id_number"
    assert {"applicant_name", "id_number", "phone", "waybill", "portal_code"} <= set(FIELD_CHECKS)
