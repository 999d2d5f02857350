"""Queue ticket states: the whole state x action matrix, the refusal message, the call order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from counter_tui.core import queue_rules as q
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language
from counter_tui.core.queue_rules import Action, Priority, State
from tests.tools.catalogue import catalogue_entries, spoken


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("vi")


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


# The expected matrix, written out by hand rather than read from the module: a change to the
# rules must change this table too. None = refused.
W, C, S, D, A, V = State.WAITING, State.CALLED, State.SERVING, State.DONE, State.ABSENT, State.VOID
ACTIONS = (Action.ISSUE, Action.PRINTED, Action.CALL, Action.RECALL, Action.SERVE, Action.DONE,
           Action.ABSENT, Action.REQUEUE, Action.TRANSFER, Action.VOID)
MATRIX: dict[State, tuple[State | None, ...]] = {
    #           issue printed call  recall serve done  absent requeue transfer void
    State.PRINTING: (None, W, None, None, None, None, None, None, None, V),
    State.WAITING: (None, None, C, None, None, None, None, None, W, V),
    State.CALLED: (None, None, None, C, S, D, A, None, W, V),
    State.SERVING: (None, None, None, None, None, D, A, None, W, V),
    State.DONE: (None, None, None, None, None, None, None, None, None, None),
    State.ABSENT: (None, None, None, None, None, None, None, W, None, V),
    State.VOID: (None, None, None, None, None, None, None, None, None, None),
}
CASES = [(state, action, row[i]) for state, row in MATRIX.items()
         for i, action in enumerate(ACTIONS)]
ALLOWED = [pytest.param(s, a, after, id=f"{s}-{a}->{after}")
           for s, a, after in CASES if after is not None]
REFUSED = [pytest.param(s, a, id=f"{s}-{a}-refused") for s, a, after in CASES if after is None]


def test_matrix_covers_every_state_and_action() -> None:
    assert set(MATRIX) == set(State)
    assert set(ACTIONS) == set(Action)
    assert len(CASES) == len(State) * len(Action) == 70


@pytest.mark.parametrize(("state", "action", "after"), ALLOWED)
def test_allowed_transition(state: State, action: Action, after: State) -> None:
    assert q.check_transition(state, action, ticket="A015") is after
    assert q.check_transition(state.value, action.value) is after  # as stored in the database
    assert action in q.allowed_actions(state)


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_transition(state: State, action: Action) -> None:
    with pytest.raises(UserError) as info:
        q.check_transition(state, action, ticket="A015")
    err = info.value
    assert err.key == "queue_rules.refused"
    assert err.field is None
    vi = str(err)
    assert vi.startswith(f"Số A015 đang ở trạng thái '{state.label}', không thể {action.label}.")
    set_language("en")
    en = str(err)
    assert en.startswith(f"Ticket A015 is '{state.label}': cannot {action.label}.")
    assert action not in q.allowed_actions(state)


def test_refusal_reads_as_in_the_brief() -> None:
    with pytest.raises(UserError) as info:
        q.check_transition(State.DONE, Action.RECALL, ticket="A015")
    assert str(info.value).startswith(
        "Số A015 đang ở trạng thái 'đã xong', không thể gọi lại.")


@pytest.mark.parametrize(("state", "vi_hint", "en_hint"), [
    pytest.param(State.WAITING, "Có thể: gọi số, chuyển nhóm hoặc quầy, hủy số.",
                 "Possible now: call, transfer, void.", id="waiting-lists-what-is-possible"),
    pytest.param(State.ABSENT, "Có thể: đưa lại hàng chờ, hủy số.",
                 "Possible now: put back in the queue, void.", id="absent"),
    pytest.param(State.DONE, "hãy cấp số mới.", "issue a new number if the citizen needs more.",
                 id="done-is-final"),
    pytest.param(State.VOID, "hãy cấp số mới.", "issue a new number if the citizen needs more.",
                 id="void-is-final"),
])
def test_refusal_says_what_to_do_instead(state: State, vi_hint: str, en_hint: str) -> None:
    with pytest.raises(UserError) as info:
        q.check_transition(state, Action.SERVE, ticket="B007")
    assert str(info.value).endswith(vi_hint)
    set_language("en")
    assert str(info.value).endswith(en_hint)


def test_refusal_without_a_ticket_number(english: None) -> None:
    with pytest.raises(UserError) as info:
        q.check_transition(State.DONE, Action.CALL)
    assert info.value.key == "queue_rules.refused_unnamed"
    assert str(info.value).startswith("This ticket is 'done': cannot call.")


def test_message_follows_the_language_on_screen_not_at_raise_time() -> None:
    with pytest.raises(UserError) as info:
        q.check_transition(State.VOID, Action.CALL, ticket="C003")
    set_language("en")
    assert str(info.value).startswith("Ticket C003 is 'void': cannot call.")


@pytest.mark.parametrize(("state", "action"), [
    pytest.param("served", Action.CALL, id="unknown-state"),
    pytest.param(State.WAITING, "skip", id="unknown-action"),
])
def test_unknown_state_or_action_is_a_programming_error(state: str, action: str) -> None:
    with pytest.raises(ValueError):
        q.check_transition(state, action)


def test_final_states() -> None:
    assert frozenset({State.DONE, State.VOID}) == q.FINAL_STATES
    assert q.INITIAL_STATE is State.PRINTING
    assert all(q.allowed_actions(s) == () for s in q.FINAL_STATES)


def test_issue_is_never_a_transition() -> None:
    assert all(Action.ISSUE not in q.allowed_actions(s) for s in State)


def test_only_tickets_whose_slip_is_out_are_counted() -> None:
    """A ticket whose slip did not print is never counted as handed out (domain.md §8)."""
    assert q.HANDED_OUT == ("waiting", "called", "serving", "done", "absent")
    assert State.PRINTING.value not in q.HANDED_OUT and State.VOID.value not in q.HANDED_OUT
    assert q.allowed_actions(State.PRINTING) == (Action.PRINTED, Action.VOID)


# --- labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(k for k in catalogue_entries("vi")
                                         if k.startswith("queue_rules.")))
def test_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    vi, en = spoken(key)
    assert vi.strip() and en.strip() and vi != en
    assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en))


@pytest.mark.parametrize(("member", "vi", "en"), [
    pytest.param(State.PRINTING, "chưa in xong phiếu", "slip not out yet", id="state-printing"),
    pytest.param(State.WAITING, "đang chờ", "waiting", id="state-waiting"),
    pytest.param(State.CALLED, "đã gọi", "called", id="state-called"),
    pytest.param(State.SERVING, "đang phục vụ", "being served", id="state-serving"),
    pytest.param(State.DONE, "đã xong", "done", id="state-done"),
    pytest.param(State.ABSENT, "vắng mặt", "absent", id="state-absent"),
    pytest.param(State.VOID, "đã hủy", "void", id="state-void"),
    pytest.param(Priority.ELDERLY, "Người cao tuổi", "Elderly person", id="priority-elderly"),
    pytest.param(Priority.DISABLED, "Người khuyết tật", "Person with a disability",
                 id="priority-disabled"),
    pytest.param(Priority.PREGNANT, "Phụ nữ mang thai", "Pregnant woman",
                 id="priority-pregnant"),
    pytest.param(Priority.SMALL_CHILDREN, "Người đi cùng trẻ nhỏ", "With a small child",
                 id="priority-small-children"),
    pytest.param(Priority.MERIT, "Người có công với cách mạng", "Person of merit",
                 id="priority-merit"),
])
def test_labels(member: State | Priority, vi: str, en: str) -> None:
    assert member.label == vi
    set_language("en")
    assert member.label == en


def test_every_action_has_a_label_in_both_languages() -> None:
    vi = [a.label for a in Action]
    set_language("en")
    en = [a.label for a in Action]
    assert all(vi) and all(en) and len(set(vi)) == len(set(en)) == len(Action)
    assert not any(label.startswith("queue_rules.") for label in vi + en)


def test_states_are_strings_as_stored() -> None:
    assert [s.value for s in State] == ["printing", "waiting", "called", "serving", "done",
                                        "absent", "void"]
    assert State.WAITING == "waiting"


def test_priorities() -> None:
    assert q.PRIORITIES == ("elderly", "disabled", "pregnant", "small_children", "merit")
    assert q.priority_label("pregnant") == "Phụ nữ mang thai"
    assert q.priority_label("veteran") == "veteran"  # unknown kinds are shown as stored


# --- who is called next ---------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    id: int
    issued_at: datetime
    priority: str | None = None


def at(minute: int, second: int = 0) -> datetime:
    return datetime(2025, 7, 1, 8, minute, second)


@pytest.mark.parametrize(("tickets", "order"), [
    pytest.param([Waiting(2, at(5)), Waiting(1, at(1))], [1, 2], id="oldest-first"),
    pytest.param([Waiting(1, at(1)), Waiting(2, at(9), "elderly")], [2, 1],
                 id="priority-before-older"),
    pytest.param([Waiting(1, at(3), "merit"), Waiting(2, at(2), "pregnant")], [2, 1],
                 id="priority-kinds-rank-equally"),
    pytest.param([Waiting(7, at(4)), Waiting(5, at(4))], [5, 7], id="same-second-by-id"),
    pytest.param([Waiting(1, at(1), ""), Waiting(2, at(2), "disabled")], [2, 1],
                 id="empty-priority-is-none"),
    pytest.param([Waiting(4, at(8)), Waiting(3, at(7), "small_children"), Waiting(2, at(6)),
                  Waiting(1, at(9), "elderly")], [3, 1, 2, 4], id="mixed"),
])
def test_next_ticket_order(tickets: list[Waiting], order: list[int]) -> None:
    assert [w.id for w in sorted(tickets, key=q.next_ticket_order)] == order
