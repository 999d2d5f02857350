"""Frozen value classes (`@frozen`) that cost nothing to define.

`dataclasses.dataclass(frozen=True)` writes the source of six methods per class and compiles
each with `exec`: about a millisecond per class on a counter's PC, and the application defines
over a hundred of them, most loaded before the first frame or the first ticket a kiosk's script
prints. `@frozen` gives the same classes with methods shared by every record instead: the
bookkeeping is `dataclasses`' own (`__dataclass_fields__` of its `Field`s, `__match_args__`),
so `dataclasses.replace`, `fields`, `asdict` and `is_dataclass` work on them unchanged, and
type checkers read `@frozen` as a frozen dataclass (PEP 681). That bookkeeping is written here
(`_bookkeeping`), as dataclasses writes it: dataclasses' own pass looks every annotation up
(is it a ClassVar, an InitVar?), which took two thirds of a record's making, and records
name neither (a class that does goes through dataclasses). tests/core/test_records.py holds
the two to the same fields.

What `@frozen` does not do: `InitVar` and `kw_only` fields (none is used; `@frozen` refuses
them), and its `__dataclass_params__` describes the bookkeeping (no generated methods), not
the class.
"""

from __future__ import annotations

import abc
import dataclasses
import inspect
from collections.abc import Callable
from types import MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform

__all__ = ["frozen"]

T = TypeVar("T")
_MISSING = dataclasses.MISSING
_set = object.__setattr__


@dataclasses.dataclass(init=False, repr=False, eq=False)
class _Shape:
    """What `dataclasses.dataclass(cls, init=False, repr=False, eq=False)` records of a class:
    its parameters, the same for every record, and the mark it puts on each real field (which
    `dataclasses.fields` reads)."""

    mark: int


_PARAMS = _Shape.__dataclass_params__  # type: ignore[attr-defined]
_FIELD_MARK = dataclasses.fields(_Shape)[0]._field_type  # type: ignore[attr-defined]
# Annotations whose meaning dataclasses works out by looking their names up: left to it.
_SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")


def _bookkeeping(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """Mark `cls` as a dataclass, as `dataclasses.dataclass(cls, init=False, repr=False,
    eq=False)` does, and return its fields: the same fields, defaults and class attributes,
    without dataclasses' look-ups of every annotation (a ClassVar, an InitVar?), which cost
    more than the rest of a record's making. A class whose annotations name one goes
    through dataclasses itself."""
    own = inspect.get_annotations(cls)
    if any(not isinstance(kind, str) or any(word in kind for word in _SPECIAL)
           for kind in own.values()):
        dataclasses.dataclass(cls, init=False, repr=False, eq=False)
        return dataclasses.fields(cls)
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        fields.update(getattr(base, "__dataclass_fields__", {}))
    for name, kind in own.items():
        default = getattr(cls, name, _MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
        else:
            value: Any = _MISSING if isinstance(default, MemberDescriptorType) else default
            f = dataclasses.field(default=value)
        f.name, f.type = name, kind
        f._field_type = _FIELD_MARK  # type: ignore[attr-defined]
        if f.kw_only is _MISSING:
            f.kw_only = False
        if f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not "
                             "allowed: use default_factory")
        fields[name] = f
        if isinstance(default, dataclasses.Field):
            if f.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    for name, value in cls.__dict__.items():
        if isinstance(value, dataclasses.Field) and name not in own:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    cls.__dataclass_params__ = _PARAMS  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    real = tuple(f for f in fields.values() if _is_field(f))
    if "__match_args__" not in cls.__dict__:
        cls.__match_args__ = tuple(  # type: ignore[attr-defined,misc]
            f.name for f in real if f.init and not f.kw_only)
    abc.update_abstractmethods(cls)
    return real


def _is_field(f: Any) -> bool:
    """A real field, not a ClassVar or InitVar pseudo-field a dataclass base recorded."""
    return f._field_type is _FIELD_MARK


def _init_of(names: tuple[str, ...], defaults: dict[str, Any],
             factories: dict[str, Callable[[], Any]], post_init: bool,
             not_init: tuple[str, ...]) -> Callable[..., None]:
    count = len(names)
    known = frozenset(names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > count:
            raise TypeError(f"{type(self).__name__}() takes {count} positional arguments but "
                            f"{len(args)} were given")
        if kwargs and not known.issuperset(kwargs):
            unknown = min(set(kwargs) - known)
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument "
                            f"{unknown!r}")
        for name, value in zip(names, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}() got multiple values for {name!r}")
            _set(self, name, value)
        for name in names[len(args):]:
            if name in kwargs:
                _set(self, name, kwargs[name])
            elif name in defaults:
                _set(self, name, defaults[name])
            elif name in factories:
                _set(self, name, factories[name]())
            else:
                raise TypeError(f"{type(self).__name__}() missing argument {name!r}")
        for name in not_init:
            _set(self, name, defaults[name] if name in defaults else factories[name]())
        if post_init:
            self.__post_init__()

    return __init__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _methods(shown: tuple[str, ...], compared: tuple[str, ...], hashed: tuple[str, ...],
             order: bool) -> dict[str, Any]:
    def key(self: Any) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in compared])

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key(self) == key(other)

    def __hash__(self: Any) -> int:
        return hash(tuple([getattr(self, name) for name in hashed]))

    def __repr__(self: Any) -> str:
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({parts})"

    out: dict[str, Any] = {"__eq__": __eq__, "__hash__": __hash__, "__repr__": __repr__,
                           "__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr}
    if order:
        def compare(test: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Any:
            def method(self: Any, other: object) -> bool:
                if other.__class__ is not self.__class__:
                    return NotImplemented
                return test(key(self), key(other))
            return method

        out |= {"__lt__": compare(lambda a, b: a < b), "__le__": compare(lambda a, b: a <= b),
                "__gt__": compare(lambda a, b: a > b), "__ge__": compare(lambda a, b: a >= b)}
    return out


def _make(cls: type[T], order: bool) -> type[T]:
    if cls.__doc__ is None:
        cls.__doc__ = cls.__name__  # else dataclasses asks inspect for a signature to show
    fields = _bookkeeping(cls)
    if any(f.kw_only is True or (not f.init and f.default is f.default_factory is _MISSING)
           for f in fields):
        raise TypeError(f"{cls.__name__}: a frozen class's fields are positional, and those "
                        "not given to __init__ have a default")
    defaults = {f.name: f.default for f in fields if f.default is not _MISSING}
    factories = {f.name: f.default_factory for f in fields if f.default_factory is not _MISSING}
    methods = _methods(tuple(f.name for f in fields if f.repr),
                       tuple(f.name for f in fields if f.compare),
                       tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)),
                       order)
    methods["__init__"] = _init_of(tuple(f.name for f in fields if f.init), defaults, factories,
                                   hasattr(cls, "__post_init__"),
                                   tuple(f.name for f in fields if not f.init))
    own = cls.__dict__
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    for name, method in methods.items():
        if name in ("__setattr__", "__delattr__") and name in own:
            raise TypeError(f"{cls.__name__}: a frozen class cannot define {name}")
        if name in own and not (name == "__hash__" and not explicit_hash):
            continue  # the class's own method stays, as dataclasses leaves it
        setattr(cls, name, method)
    return cls


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T] | None = None, /, *, order: bool = False) -> Any:
    """`@frozen` or `@frozen(order=True)` on a class: a frozen dataclass, made cheaply."""
    if cls is None:
        return lambda c: _make(c, order)
    return _make(cls, order)
