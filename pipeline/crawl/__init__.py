"""Crawl government websites for annual reports (``gongkai crawl``) and chain the nightly job.

Rooms: ``sites`` (the SITES file and the site profiles per CMS family), ``pages`` (pure parsing of
list pages, detail pages and attachments), ``walls`` (anti-bot walls, recorded, never circumvented),
``ledger`` (the SQLite ledger under ``OUT/_crawl/``), ``archive`` (one WARC file per run),
``spider`` (the Scrapy spider and its downloader middlewares), ``runner`` (``run_crawl``),
``command`` (the body of ``gongkai crawl``), and ``nightly`` (crawl -> extract -> release). Scrapy is imported only by ``spider`` and ``runner``,
so ``gongkai.crawl.sites`` / ``pages`` / ``ledger`` work without the ``crawl`` extra.
"""
