"""Rollout's domain: the inventory and planning data, its rules and its persistence (no Flask)."""
