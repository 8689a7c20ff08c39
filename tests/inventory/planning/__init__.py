"""Tests of the planning domain: catalogue, scenarios, projects, needs, plans."""
