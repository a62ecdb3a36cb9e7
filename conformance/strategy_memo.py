"""hypothesis-jsonschema's strategies, built once per subschema instead of at every draw.

hypothesis-jsonschema (0.23) draws an object member by member, and builds each member's
strategy inside the draw: every example canonicalises, merges and compiles the same
subschemas again (`merged_as_strategies` and `__from_schema`, each also decorating a new
`st.composite`, which reads its source file). That was a quarter of a default run's CPU.
What they build depends only on the subschemas they are given (the same dict objects, which
the object's strategy holds for its whole life and nothing mutates), the alphabet and the
custom formats: `memoize()` makes both functions return the strategy they built the first
time for the same objects. A strategy is a pure description, so the same examples are drawn
and the same requests sent; only the rebuilding is saved.

If a release renames either function, nothing is memoized: generation is as slow as before,
never different.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis_jsonschema._from_schema as _impl

MEMOIZED = ("merged_as_strategies", "__from_schema")
_MARK = "_batch_conformance_memo"


def memoize() -> bool:
    """Memoize hypothesis-jsonschema's per-draw builders (once); whether they are."""
    for name in MEMOIZED:
        build = getattr(_impl, name, None)
        if build is None:
            return False
        if not getattr(build, _MARK, False):
            setattr(_impl, name, _memo(build))
    return True


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
