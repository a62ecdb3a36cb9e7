"""`python -m conformance` is `batch-conformance`."""

import sys

from conformance.cli import main

sys.exit(main())
