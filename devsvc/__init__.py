"""The embedded PostgreSQL and Redis that `python devservices.py up|down|status` runs.

`cli` holds the three commands; `postgres` and `redis` start, find and stop one server
each; `processes` has what both need (process and port checks, the error they raise);
`paths` says where everything lives under .data/. Only the standard library is imported
at the top of these modules: `down` and `status` run under any python3, and `up`
re-runs itself under the project's .venv before it needs the service wheels.
"""
