"""Records <-> JSON-ready dicts, exactly and both ways.

Decimal becomes a decimal string, dates and datetimes ISO 8601 (with offset), enums their value;
``from_dict`` rebuilds the typed record from the dataclass type hints.  Used by the store, the
case export and every ``--format json`` output, so a record always reads back identical.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def to_dict(record: Any) -> dict[str, Any]:
    return to_jsonable(record)


def dumps(value: Any, **kwargs: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, **kwargs)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any) -> Any:
    """``value`` (JSON-ready) as type ``tp``; None stays None."""
    return None if value is None else _converter(tp)(value)


# --- conversion plans: the type hints are read once per type, not once per value --------------

def _identity(value: Any) -> Any:
    return value


def _to_decimal(value: Any) -> Decimal:
    return Decimal(value if isinstance(value, str) else str(value))


def _to_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError(f"{value!r} is not an integer")
    return int(value)


def _to_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def _to_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{value!r} is not a boolean")
    return value


_SCALARS: dict[type, Any] = {Decimal: _to_decimal, datetime: _to_datetime, date: _to_date, float: float,
                             int: _to_int, str: _to_str, bool: _to_bool}


def _optional(conv):
    """An element converter that keeps None (as the nested ``_convert`` calls did)."""
    return lambda v: None if v is None else conv(v)


@functools.cache
def _converter(tp: Any):
    """The function turning a non-None JSON value into ``tp`` (compiled once per type)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        convs = [_converter(a) for a in typing.get_args(tp) if a is not type(None)]
        if len(convs) == 1:  # X | None, the common case
            (only,) = convs

            def optional(value: Any) -> Any:
                try:
                    return only(value)
                except (TypeError, ValueError, KeyError) as exc:
                    raise ValueError(f"cannot convert {value!r} to {tp}") from exc

            return optional

        def union(value: Any, convs=convs) -> Any:
            last_error: Exception | None = None
            for conv in convs:
                try:
                    return conv(value)
                except (TypeError, ValueError, KeyError) as exc:
                    last_error = exc
            raise ValueError(f"cannot convert {value!r} to {tp}") from last_error

        return union
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _optional(_converter(args[0]))
            return lambda value: tuple([item(v) for v in value])
        items = [_optional(_converter(a)) for a in args]
        return lambda value: tuple([c(v) for c, v in zip(items, value, strict=True)])
    if origin is list:
        (arg,) = typing.get_args(tp)
        item = _optional(_converter(arg))
        return lambda value: [item(v) for v in value]
    if origin is dict:
        k, v = typing.get_args(tp)
        key, val = _optional(_converter(k)), _optional(_converter(v))
        return lambda value: {key(kk): val(vv) for kk, vv in value.items()}
    if tp is Any or not isinstance(tp, type):
        return _identity
    if dataclasses.is_dataclass(tp):
        return lambda value: from_dict(tp, value)
    if issubclass(tp, Enum):
        return tp
    return _SCALARS.get(tp, _identity)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, converter) for every field of the dataclass ``cls``."""
    hints = _hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))  # type: ignore[arg-type]


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    kwargs = {}
    for name, conv in _plan(cls):
        if name in data:
            value = data[name]
            kwargs[name] = None if value is None else conv(value)
    return cls(**kwargs)


def loads(cls: type[T], text: str) -> T:
    return from_dict(cls, json.loads(text))
