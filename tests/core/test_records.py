"""`@frozen` behaves as `@dataclass(frozen=True)` in everything the application relies on: the
same class written both ways gives equal answers."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from counter_tui.core.records import frozen


@frozen
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", compare=False, repr=False)


@frozen
class Point3(Point):
    z: int = 0


@frozen(order=True)
class Version:
    major: int
    minor: int


@frozen
class Checked:
    text: str
    length: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "length", len(self.text))


@frozen
class OwnEq:
    value: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OwnEq) and abs(self.value - other.value) <= 1


def test_construction_equality_hash_and_repr_match_dataclasses() -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((1,), {}), ((1, 2), {}), ((1,), {"y": 2, "note": "n"}), ((), {"x": 3, "tags": ("a",)})]
    for args, kwargs in calls:
        ours, theirs = Point(*args, **kwargs), DataPoint(*args, **kwargs)
        assert repr(ours).replace("Point", "DataPoint") == repr(theirs)
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
        assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    assert Point(1, 2, note="a") == Point(1, 2, note="b")  # compare=False
    assert hash(Point(1, 2, note="a")) == hash(Point(1, 2, note="b"))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1) != DataPoint(1)
    assert {Point(1), Point(1), Point(2)} == {Point(1), Point(2)}


def test_replace_fields_match_args_and_is_dataclass() -> None:
    p = Point(1, 2, ("a",))
    assert dataclasses.replace(p, y=5) == Point(1, 5, ("a",))
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags", "note"]
    assert dataclasses.is_dataclass(p) and Point.__match_args__ == ("x", "y", "tags", "note")
    match p:
        case Point(1, y):
            assert y == 2
        case _:
            pytest.fail("positional pattern on a frozen")
    assert pickle.loads(pickle.dumps(p)) == p


def test_frozen() -> None:
    p = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.x


def test_wrong_arguments_are_refused_as_dataclasses_refuse_them() -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((), {}), ((1, 2, (), "", 5), {}), ((1,), {"x": 1}), ((1,), {"w": 1})]
    for args, kwargs in calls:
        with pytest.raises(TypeError):
            Point(*args, **kwargs)
        with pytest.raises(TypeError):
            DataPoint(*args, **kwargs)


def test_inheritance_order_post_init_and_own_methods() -> None:
    assert Point3(1, 2, z=3) == Point3(1, 2, (), "", 3)
    assert [f.name for f in dataclasses.fields(Point3)][-1] == "z"
    assert Point3(1) != Point(1)
    assert sorted([Version(1, 10), Version(1, 2), Version(0, 9)]) == [
        Version(0, 9), Version(1, 2), Version(1, 10)]
    assert Version(1, 2) < Version(1, 3) and not Version(1, 3) <= Version(1, 2)
    assert Checked("abc").length == 3
    assert OwnEq(1) == OwnEq(2)  # the class's own __eq__ stays; hashed by its fields, as
    assert hash(OwnEq(1)) == hash((1,))  # dataclasses hash a frozen class with its own __eq__


def test_a_record_cannot_say_it_is_mutable() -> None:
    with pytest.raises(TypeError):
        @frozen
        class Settable:
            value: int

            def __setattr__(self, name: str, value: object) -> None:
                object.__setattr__(self, name, value)


@frozen
class Cached:
    key: int
    cache: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False,
                                  hash=False)
    label: str = field(default="", hash=False)


@dataclass(frozen=True)
class DataCached:
    key: int
    cache: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False,
                                  hash=False)
    label: str = field(default="", hash=False)


def test_fields_outside_init_and_outside_the_hash() -> None:
    ours, theirs = Cached(1, "a"), DataCached(1, "a")
    assert ours.cache == {} and ours.cache is not Cached(1).cache
    assert repr(ours) == repr(theirs).replace("DataCached", "Cached")
    assert hash(ours) == hash(theirs) == hash((1,))
    assert ours != Cached(1, "b")  # compared, though not hashed
    with pytest.raises(TypeError):
        Cached(1, "a", {})  # type: ignore[call-arg]


def test_the_same_fields_and_class_attributes_as_dataclasses_record() -> None:
    def described(cls: type) -> list[tuple[Any, ...]]:
        return [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash,
                 f.compare, f.kw_only, dict(f.metadata))
                for f in dataclasses.fields(cls)]

    assert described(Point) == described(DataPoint)
    assert described(Cached) == described(DataCached)
    for name in ("x", "y", "tags", "note"):
        assert getattr(Point, name, None) == getattr(DataPoint, name, None)
    assert "tags" not in Point.__dict__ and Point.__dict__["note"] == ""


def test_shapes_dataclasses_refuses_are_refused() -> None:
    with pytest.raises(ValueError, match="mutable default"):
        @frozen
        class Mutable:
            items: list[int] = []

    with pytest.raises(TypeError, match="no type annotation"):
        @frozen
        class Unannotated:
            value: int
            other = field(default=0)


@frozen
class WithClassVar:
    kind: ClassVar[str] = "k"
    value: int = 0


def test_a_class_variable_is_no_field() -> None:
    assert [f.name for f in dataclasses.fields(WithClassVar)] == ["value"]
    assert WithClassVar(3).value == 3 and WithClassVar.kind == "k"
    assert WithClassVar.__match_args__ == ("value",)
