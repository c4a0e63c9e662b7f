-- wrk script for bench/search.sh: each request is the next search of the file named by
-- $BENCH_PATHS (one path a line) as the next signed-in reader of $BENCH_COOKIES, so the
-- queries and sessions vary as a real day's would. Each thread starts at a different place.
-- With $BENCH_THINK_MS, each connection waits a random time of that mean between requests
-- (exponentially distributed, as people's pauses are), so the load is a steady rate rather
-- than as fast as the server answers.
local cookies, paths = {}, {}
local at, path_at = 0, 0
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  at = math.random(#cookies)
  path_at = math.random(#paths)
end

function delay()
  if think <= 0 then return 0 end
  return math.floor(-math.log(1 - math.random()) * think)
end

function request()
  at = at % #cookies + 1
  path_at = path_at % #paths + 1
  return wrk.format("GET", paths[path_at], { ["Cookie"] = cookies[at] })
end
