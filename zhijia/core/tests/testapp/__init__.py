"""A test-only Django app: concrete models for the shared mechanisms' tests.

Installed by zhijia/settings.py only when running under pytest. It has no migrations: Django
creates its tables directly in the test database (with or without --no-migrations), which is
why its references to other apps' tables carry no database constraint.
"""
