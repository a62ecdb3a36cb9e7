"""batch-conformance: a contract-testing and conformance suite for the AWS Batch API.

The public door is the command line (`batch-conformance`, see `conformance.cli`) and the
pytest plugin (`conformance.plugin`) that runs the cases in `conformance.cases`.
"""

__version__ = "0.1.0"
