"""Parts of benchmarks/scheduler_stress.py: problem builders, oracles, command-line cases."""
