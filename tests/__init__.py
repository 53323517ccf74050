"""The test suite, in folders that mirror the packages it tests; shared fixtures in conftest.py."""
