"""Runs are bit-identical across the supported Pythons and Mesa versions for the same seed.

``tests/golden/baseline_tiny.json`` holds the yearly indicators of two small baseline replicates
(posterior draws included) as written on Python 3.11 with Mesa 3.3.1; CI runs this test on every
supported Python (3.11 with Mesa 3.3.1; 3.12 and 3.13 with Mesa 3.5.1), so each must reproduce
every number exactly. When the model's rules change on purpose, regenerate the file with
``python tests/test_golden.py`` (on either Python) and commit it with the change.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "baseline_tiny.json"
RUN = {"seed": 3, "scale": 50, "horizon": 2025}
REPLICATES = (0, 1)


def tiny_run() -> dict:
    from sim.model import InnovationModel
    from sim.runner import source_fingerprint

    replicates = []
    for r in REPLICATES:
        model = InnovationModel.from_scenario(ROOT / "scenarios" / "baseline.yaml", r, **RUN)
        replicates.append({"replicate": r, "seed": model.replicate_seed, "records": model.run()})
        model.release()
    return {"run": RUN, "model_source": source_fingerprint(model_only=True),
            "written_with": {"python": platform.python_version(), "mesa": metadata.version("mesa"),
                             "numpy": metadata.version("numpy")},
            "replicates": replicates}


def test_a_tiny_run_reproduces_the_golden_file_exactly():
    golden = json.loads(GOLDEN.read_text())
    now = json.loads(json.dumps(tiny_run()))          # the same float round trip as the file's
    if now["replicates"] == golden["replicates"]:
        return
    if now["model_source"] != golden["model_source"]:
        raise AssertionError("the model's code changed since tests/golden/baseline_tiny.json was written "
                             f"(with {golden['written_with']}): if on purpose, regenerate it with "
                             "`python tests/test_golden.py` and commit it")
    first = next((a["year"], k, a[k], b[k]) for x, y in zip(now["replicates"], golden["replicates"])
                 for a, b in zip(x["records"], y["records"]) for k in a if a[k] != b.get(k))
    raise AssertionError(f"same model code, different numbers on Python {platform.python_version()} with Mesa "
                         f"{metadata.version('mesa')} than on {golden['written_with']}: first difference "
                         f"in {first[0]}, {first[1]}: {first[2]!r} != {first[3]!r}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(tiny_run(), indent=1) + "\n")
    print(f"written {GOLDEN.relative_to(ROOT)}")
