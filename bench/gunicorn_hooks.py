"""gunicorn config for the fault benchmarks (`-c bench/gunicorn_hooks.py`): each worker logs
the moment it has loaded the app and is ready to serve, so a replacement can be timed."""

import sys
import time


def post_worker_init(worker) -> None:
    print(f"WORKER-READY pid={worker.pid} t={time.time():.6f}", file=sys.stderr, flush=True)
