"""Run every benchmark module's main(): `python -m benchmarks [--quick]`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import benchmarks


def run_all(argv: list[str]) -> int:
    """Import each benchmarks/*.py module and call its main(), passing the arguments on."""
    failures = 0
    for module_info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        main = getattr(module, "main", None)
        if main is None:
            continue
        print(f"\n=== benchmarks.{module_info.name} ===", flush=True)
        takes_argv = bool(inspect.signature(main).parameters)
        result = main(argv) if takes_argv else main()
        failures += 1 if isinstance(result, int) and result != 0 else 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(run_all(sys.argv[1:]))
