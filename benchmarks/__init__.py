"""paperbot benchmarks: ``python -m benchmarks`` runs them all and updates README.md.

Every module here has ``main(argv: list[str] | None = None) -> int``. Its defaults are the
one-command run; it prints one markdown section (a ``###`` heading, the method in a sentence or
two, a table) on stdout and its progress on stderr. Every figure it prints is a median over
several runs, and every comparison is a ratio measured in the same run. Importing a module has
no side effects, so CI can check that each one still imports (``tests/test_benchmarks.py``).
"""
