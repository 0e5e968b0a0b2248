"""Batch runs: planning the inputs, supervised executors, the manifest, progress feedback."""
