"""Spreadsheet imports in the web app: upload, preview and map columns, import (or as a job)."""
