-- wrk script for bench/shop.ts. `wrk … -s mamori.lua URL -- get` sends plain GETs (as wrk alone
-- would); `-- add CARTS_FILE VARIANTS` sends add-to-cart POSTs, each to a random cart of the file
-- with a random variant of the comma-separated list, from a random client address (the shop runs
-- with TRUST_PROXY=127.0.0.1, as behind a proxy, so per-client rate limits see many customers).
-- done() prints one JSON line the bench parses: requests, duration, errors, latency percentiles.
local mode, carts, variants = "get", {}, {}

function init(args)
  mode = args[1] or "get"
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  if mode == "add" then
    for line in io.lines(args[2]) do carts[#carts + 1] = line end
    for v in string.gmatch(args[3], "%d+") do variants[#variants + 1] = v end
  end
end

function request()
  if mode ~= "add" then return wrk.request() end
  local cart = carts[math.random(#carts)]
  local variant = variants[math.random(#variants)]
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", "/api/store/carts/" .. cart .. "/items",
    { ["content-type"] = "application/json", ["x-forwarded-for"] = ip },
    '{"variantId":' .. variant .. ',"quantity":1}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
