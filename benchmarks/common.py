"""Shared by the benchmark scripts: where results go."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"


def save(key: str, results: dict) -> None:
    """Store ``results`` under ``key`` in benchmarks/results.json, keeping the other keys."""
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[key] = results
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)} ({key})")
