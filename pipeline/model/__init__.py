"""The model: the intermediate document, the per-document result, the error catalog, settings."""
