"""hypothesis-jsonschema, made cheaper without changing one example it draws: `speed_up()`.

Strategies built once per subschema instead of at every draw. hypothesis-jsonschema (0.23)
draws an object member by member, and builds each member's strategy inside the draw: every
example canonicalises, merges and compiles the same subschemas again
(`merged_as_strategies` and `__from_schema`, each also decorating a new `st.composite`,
which reads its source file). That was a quarter of a default run's CPU. What they build
depends only on the subschemas they are given (the same dict objects, which the object's
strategy holds for its whole life and nothing mutates), the alphabet and the custom
formats: both return the strategy they built the first time for the same objects. A
strategy is a pure description, so the same examples are drawn and the same requests sent;
only the rebuilding is saved.

The canonical JSON encoding it compares and copies schemas with (`encode_canonical_json`,
a pure-Python encoder so that 1.0 encodes as 1) is, for a value without any float, exactly
what the standard library's C encoder writes with sorted keys: that one is used then.

If a release renames any of these functions, it is left alone: generation is as slow as
before, never different.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

from hypothesis_jsonschema import _canonicalise, _encode
from hypothesis_jsonschema import _from_schema as _impl

MEMOIZED = ("merged_as_strategies", "__from_schema")
ENCODER = "encode_canonical_json"
ENCODING_MODULES: tuple[ModuleType, ...] = (_encode, _canonicalise, _impl)
_MARK = "_batch_conformance_memo"


def speed_up() -> bool:
    """Memoize hypothesis-jsonschema's per-draw builders and take the C encoder where it
    writes the same (once); whether all of it applied."""
    applied = True
    for name in MEMOIZED:
        build = getattr(_impl, name, None)
        if build is None:
            applied = False
        elif not getattr(build, _MARK, False):
            setattr(_impl, name, _memo(build))
    for module in ENCODING_MODULES:
        encode = getattr(module, ENCODER, None)
        if encode is None:
            applied = False
        elif not getattr(encode, _MARK, False):
            setattr(module, ENCODER, _canonical(encode))
    return applied


def _canonical(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    """`encode`, through the C encoder for a value without floats (the same text)."""

    def canonical(value: Any) -> str:
        if _has_float(value):
            return encode(value)
        return json.dumps(value, sort_keys=True)

    setattr(canonical, _MARK, True)
    canonical.__doc__ = encode.__doc__
    return canonical


def _has_float(value: Any) -> bool:
    """Is there a float anywhere in `value` (keys included)?"""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(isinstance(k, float) or _has_float(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_float(item) for item in value)
    return False


def _memo(build: Callable[..., Any]) -> Callable[..., Any]:
    """`build`, returning what it built before for identical (the same objects) arguments."""
    built: dict[tuple[int, ...], tuple[tuple[object, ...], Any]] = {}

    def memoized(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        parts = (
            (*schema, alphabet, custom_formats)
            if isinstance(schema, list)
            else (
                schema,
                alphabet,
                custom_formats,
            )
        )
        key = (isinstance(schema, list), *map(id, parts))
        hit = built.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], parts, strict=True)):
            return hit[1]
        strategy = build(schema, alphabet=alphabet, custom_formats=custom_formats)
        built[key] = (parts, strategy)  # holds the objects: their ids stay theirs
        return strategy

    setattr(memoized, _MARK, True)
    memoized.__doc__ = build.__doc__
    return memoized
