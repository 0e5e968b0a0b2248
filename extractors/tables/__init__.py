"""Table extractors for sections 二 (active), 三 (applications) and 四 (review_litigation)."""
