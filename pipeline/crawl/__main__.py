"""``python -m gongkai.crawl SITES --out DIR …`` = ``gongkai crawl SITES --out DIR …``."""

import sys

from gongkai.cli.app import app

app(args=["crawl", *sys.argv[1:]], prog_name="python -m gongkai.crawl")
