"""What the benchmarks share: processes (gunicorn, commands), a private PostgreSQL cluster,
HTTP requests and forms, a load of concurrent readers, and the fault test's checks."""
