"""Readers and writers, one module per format, working on core objects (see registry.py)."""
