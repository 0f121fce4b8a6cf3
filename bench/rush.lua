-- wrk script of bench/rush.py: each request is one booking attempt with its own key.
--
--   wrk -s bench/rush.lua ... -- PLAN OUT
--
-- PLAN (written by rush.py), one item a line:
--   mode api|site   attempts N   threads N (wrk -t)   run RUNID
--   T <rate plan id> <check in> <check out>       a room type night on sale
--   K <api key>                                    (api) a partner's key
--   S <cookie header> <csrf token> <address>       (site) a client's session and the
--                                                  address it comes from (X-Forwarded-For)
-- Each wrk thread sends its share of N attempts (delay() holds a connection once the
-- share is sent), writes "<ms since epoch> <status>" per answer to OUT.<thread>.log,
-- and OUT.<thread>.done when all its answers are in. done() writes OUT.summary.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } rush_timespec;
int clock_gettime(int clock_id, rush_timespec *tp);
]])
local ts = ffi.new("rush_timespec")

local function now_us()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME: comparable with the server's logs
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local function read_plan(path)
  local plan = { targets = {}, keys = {}, sessions = {} }
  for line in io.lines(path) do
    local kind, a, b, c = line:match("^(%S+)%s*(%S*)%s*(%S*)%s*(%S*)")
    if kind == "T" then
      plan.targets[#plan.targets + 1] = { plan = a, check_in = b, check_out = c }
    elseif kind == "K" then
      plan.keys[#plan.keys + 1] = a
    elseif kind == "S" then
      plan.sessions[#plan.sessions + 1] = { cookie = (a:gsub("|", "; ")), csrf = b, addr = c }
    elseif kind then
      plan[kind] = a
    end
  end
  return plan
end

-- setup() and done() run in the main Lua state, the rest in each thread's own, where
-- the globals rush_statuses and rush_out are what done() reads back.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local plan, tid, quota, sent, made, answered, log, unflushed, out_prefix

function init(args)
  plan = read_plan(args[1])
  out_prefix = args[2]
  rush_out = out_prefix
  tid = wrk.thread:get("tid")
  local attempts, count = tonumber(plan.attempts), tonumber(plan.threads)
  quota = math.floor(attempts / count) + ((tid <= attempts % count) and 1 or 0)
  sent, made, answered, unflushed = 0, 0, 0, 0
  rush_statuses = {}
  log = assert(io.open(string.format("%s.%d.log", out_prefix, tid), "w"))
  log:setvbuf("full")
  math.randomseed(tid * 7919 + attempts)
end

function delay()
  if sent >= quota then
    return 3600000 -- this connection's share is sent: keep it idle
  end
  sent = sent + 1
  return 0
end

local function urlencode(value)
  return (tostring(value):gsub("[^%w%-_%.~]", function(char)
    return string.format("%%%02X", string.byte(char))
  end))
end

-- delay() runs when a connection may send, request() later when it does: several
-- connections can be between the two, so the request numbers itself.
function request()
  made = made + 1
  local n = made
  local target = plan.targets[math.random(#plan.targets)]
  local key = string.format("rush-%s-%d-%d", plan.run, tid, n)
  local guest = string.format("Rush %d-%d", tid, n)
  local email = string.format("rush-%d-%d@example.com", tid, n)
  local headers = { ["X-Request-Start"] = "t=" .. now_us() }
  if plan.mode == "site" then
    local session = plan.sessions[(n * plan.threads + tid) % #plan.sessions + 1]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Cookie"] = session.cookie
    if session.addr ~= "" then headers["X-Forwarded-For"] = session.addr end
    local fields = {
      "csrfmiddlewaretoken=" .. urlencode(session.csrf),
      "rate_plan=" .. target.plan,
      "check_in=" .. target.check_in,
      "check_out=" .. target.check_out,
      "rooms=1", "adults=1", "children=0",
      "key=" .. urlencode(key),
      "name=" .. urlencode(guest),
      "email=" .. urlencode(email),
      "phone=", "special_requests=",
    }
    return wrk.format("POST", "/bookings/new/", headers, table.concat(fields, "&"))
  end
  headers["Content-Type"] = "application/json"
  headers["X-Api-Key"] = plan.keys[(n + tid) % #plan.keys + 1]
  headers["Idempotency-Key"] = key
  local body = string.format(
    '{"rate_plan":%s,"check_in":"%s","check_out":"%s","rooms":1,"adults":1,'
      .. '"guest":{"name":"%s","email":"%s"}}',
    target.plan, target.check_in, target.check_out, guest, email
  )
  return wrk.format("POST", "/api/v1/bookings/", headers, body)
end

function response(status, headers, body)
  answered = answered + 1
  rush_statuses[status] = (rush_statuses[status] or 0) + 1
  log:write(string.format("%d %d\n", math.floor(now_us() / 1000), status))
  unflushed = unflushed + 1
  if unflushed >= 100 then
    log:flush()
    unflushed = 0
  end
  if answered >= quota then
    log:flush()
    local marker = io.open(string.format("%s.%d.done", out_prefix, tid), "w")
    if marker then
      marker:write(answered, "\n")
      marker:close()
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(threads[1]:get("rush_out") .. ".summary", "w"))
  local e = summary.errors
  out:write(string.format("requests %d\nduration_us %d\nbytes %d\n",
    summary.requests, summary.duration, summary.bytes))
  out:write(string.format("connect %d\nread %d\nwrite %d\nstatus %d\ntimeout %d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    out:write(string.format("latency_p%s_us %d\n", p, latency:percentile(p)))
  end
  out:write(string.format("latency_max_us %d\nlatency_mean_us %d\n",
    latency.max, latency.mean))
  for _, thread in ipairs(threads) do
    local counts = thread:get("rush_statuses") or {}
    for status, count in pairs(counts) do
      out:write(string.format("status_%s %d\n", status, count))
    end
  end
  out:close()
end
