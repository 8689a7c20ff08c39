"""Queries: nouns that build SELECT statements, filtered by what a user may see."""
