"""The catalogue: systems, manufacturers, asset models."""
