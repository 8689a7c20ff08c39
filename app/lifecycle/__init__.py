"""Lifecycle: what reaches end of life in each of the next fiscal years."""
