"""`python -m conformance.specgen [--check]`: regenerate or check the schemas in `specs/`."""

from __future__ import annotations

import argparse
import sys

from conformance.specgen import regenerate


def main(argv: list[str] | None = None) -> int:
    """Parse `--check` and regenerate."""
    parser = argparse.ArgumentParser(prog="python -m conformance.specgen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report out-of-date schemas")
    return regenerate(parser.parse_args(argv).check, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
