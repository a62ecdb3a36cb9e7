"""A faulty AWS Batch endpoint of our own, to prove the suite catches faults (issue 4)."""
