"""The on-disk dataset: typed rows of a result, Parquet parts written atomically."""
