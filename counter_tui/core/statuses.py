"""The national public-service portal's dossier status codes (1-10) and their names.

The store keeps the portal's number, so reports and a later synchronisation speak the portal's
language; screens and slips show the name in the officer's language. Overdue is not a status:
it is derived from the due date.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from counter_tui.core.i18n import messages, t

SUBMITTED_ONLINE = 1
RECEIVED = 2
REFUSED = 3
PROCESSING = 4
SUPPLEMENT = 5
AWAITING_PAYMENT = 6
WITHDRAWN = 7
STOPPED = 8
RESULT_READY = 9
RETURNED = 10

messages({
    "status.1": ("Mới đăng ký", "Submitted online"),
    "status.2": ("Đã tiếp nhận", "Received"),
    "status.3": ("Từ chối tiếp nhận", "Refused"),
    "status.4": ("Đang xử lý", "Processing"),
    "status.5": ("Yêu cầu bổ sung", "Supplement requested"),
    "status.6": ("Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment"),
    "status.7": ("Công dân rút hồ sơ", "Withdrawn by the citizen"),
    "status.8": ("Dừng xử lý", "Processing stopped"),
    "status.9": ("Đã có kết quả, chờ trả", "Result ready"),
    "status.10": ("Đã trả kết quả", "Result returned"),
    "status.unknown": ("Trạng thái {code}", "Status {code}"),
})

# code -> message key; the text is looked up when shown, so it follows the chosen language.
STATUS_LABELS: Mapping[int, str] = MappingProxyType({code: f"status.{code}"
                                                     for code in range(1, 11)})


def status_label(code: int | None) -> str:
    """The status's name in the current language; a code the portal may add later is shown
    by its number rather than hidden."""
    if code is None:
        return ""
    key = STATUS_LABELS.get(code)
    return t(key) if key else t("status.unknown", code=code)

