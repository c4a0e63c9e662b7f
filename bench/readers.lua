-- wrk script: each request carries the next session cookie of the file named by
-- $BENCH_COOKIES (one "tollgate_session=..." per line), so wrk's connections read as that
-- many distinct signed-in readers. Each thread starts at a different reader.
local cookies = {}
local at = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do
    cookies[#cookies + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  at = math.random(#cookies)
end

function request()
  at = at % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[at] })
end
