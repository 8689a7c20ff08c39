"""Regions: groups of sites."""
