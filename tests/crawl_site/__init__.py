"""A fixture government website for the crawl tests (served on 127.0.0.1 by ``server``)."""
