"""What the benchmarks share: processes (gunicorn, commands), nginx in front of gunicorn, a
private PostgreSQL cluster, HTTP requests and forms, a load of concurrent readers, and the fault
test's checks."""
