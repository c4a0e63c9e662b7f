-- wrk script for bench/search.sh: each request is the next search of the file named by
-- $BENCH_PATHS (one path a line) as the next signed-in reader of $BENCH_COOKIES, so the
-- queries and sessions vary as a real day's would. Each thread starts at a different place.
local cookies, paths = {}, {}
local at, path_at = 0, 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  at = math.random(#cookies)
  path_at = math.random(#paths)
end

function request()
  at = at % #cookies + 1
  path_at = path_at % #paths + 1
  return wrk.format("GET", paths[path_at], { ["Cookie"] = cookies[at] })
end
