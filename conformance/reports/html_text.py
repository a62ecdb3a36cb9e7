"""Text into HTML: every string escaped (`escape`); identifiers that break only between
their parts (`ident`).

A rule, case or finding id (`SubmitJob.containerOverrides.environment.name.reserved`) is
one long word to a browser: told to wrap anywhere, it splits it at any letter. `ident`
escapes each part and puts a `<wbr>` after every `.`, `_`, `-`, `[`, `]`, `:`, `#` and
`/`, and its element gets the class `id` (`overflow-wrap:normal; word-break:normal` in
both pages' CSS), so it breaks there and nowhere else. Only a part longer than any real
id has (`LONG_PART` characters; the longest today has 31) may break inside, every
`LONG_PART` characters, so that even a hostile id cannot widen a page past its window.
"""

from __future__ import annotations

import html
import re

ID_CLASS = "id"
LONG_PART = 40
_AFTER_SEPARATOR = re.compile(r"(?<=[._\-\[\]:#/])")


def escape(text: object) -> str:
    """`text` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def ident(text: object) -> str:
    """An identifier, escaped, with a break opportunity (`<wbr>`) after each separator."""
    return "<wbr>".join(
        escape(part[at : at + LONG_PART])
        for part in _AFTER_SEPARATOR.split(str(text))
        for at in range(0, len(part), LONG_PART)
    )


def ident_code(text: object) -> str:
    """`<code class="id">` around `ident(text)`."""
    return f'<code class="{ID_CLASS}">{ident(text)}</code>'
