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
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        last_error: Exception | None = None
        for arg in args:
            try:
                return _convert(arg, value)
            except (TypeError, ValueError, KeyError) as exc:
                last_error = exc
        raise ValueError(f"cannot convert {value!r} to {tp}") from last_error
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [_convert(arg, v) for v in value]
    if origin is dict:
        k, v = typing.get_args(tp)
        return {_convert(k, kk): _convert(v, vv) for kk, vv in value.items()}
    if tp is Any:
        return value
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return from_dict(tp, value)
        if issubclass(tp, Enum):
            return tp(value)
        if tp is Decimal:
            return Decimal(str(value))
        if tp is datetime:
            return value if isinstance(value, datetime) else datetime.fromisoformat(value)
        if tp is date:
            if isinstance(value, datetime):
                return value.date()
            return value if isinstance(value, date) else date.fromisoformat(value)
        if tp is float:
            return float(value)
        if tp is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise TypeError(f"{value!r} is not an integer")
            return int(value)
        if tp is str:
            if not isinstance(value, str):
                raise TypeError(f"{value!r} is not a string")
            return value
        if tp is bool:
            if not isinstance(value, bool):
                raise TypeError(f"{value!r} is not a boolean")
            return value
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def loads(cls: type[T], text: str) -> T:
    return from_dict(cls, json.loads(text))
