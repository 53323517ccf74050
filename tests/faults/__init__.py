"""Faults survived: damaged indexes, damaged PDFs, full disks (issue 16)."""
