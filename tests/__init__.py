"""paperbot's tests (a package, so that test modules import helpers as ``tests.x``)."""
