"""Dataset schemas: canonical cell codes and the pyarrow schemas of the output tables."""
