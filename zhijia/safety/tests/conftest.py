from zhijia.safety.tests.support import private_storage  # noqa: F401  (a fixture)
