from gongkai.cli.app import run

run()
