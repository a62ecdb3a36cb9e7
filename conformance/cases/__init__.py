"""The cases: run by `batch-conformance run` or `pytest --pyargs conformance.cases`."""
