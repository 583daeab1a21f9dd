-- wrk script: cycles through the request paths in the file named by $BENCH_URLS and prints
-- one JSON line of results (latencies in microseconds) for bench/run.py to read.
local paths = {}
local index = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end

request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status, errors.status))
end
