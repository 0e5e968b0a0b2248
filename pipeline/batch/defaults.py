"""Default limits of a batch run, in a module with no heavy imports (the CLI shows them in --help)."""

DEFAULT_TIMEOUT_S = 120.0  # seconds one document may take
DEFAULT_MAX_TASKS_PER_WORKER = 5000  # documents before a worker process is recycled
DEFAULT_WORKER_MEMORY_MB = 2048  # resident memory past which a worker is recycled
DEFAULT_CHUNK_DOCS = 500  # documents per part file
DEFAULT_FLUSH_S = 60.0  # a part is written at least this often while documents arrive
DEFAULT_MAX_FILE_MB = 256.0  # inputs larger than this are refused before reading (too_large)
# Runs with at most this many documents, none larger than IN_PROCESS_MAX_BYTES, are extracted in
# the supervisor process: starting worker processes costs more than the work.
IN_PROCESS_MAX_DOCS = 4
IN_PROCESS_MAX_BYTES = 2 * 1024 * 1024
