"""The main pages."""
