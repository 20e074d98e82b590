-- POST an event's registration form BENCH_TOTAL times across wrk's BENCH_THREADS threads, each
-- with an address of its own, then stop: the scenario is a number of people, not a duration.
-- BENCH_FORM is the form, urlencoded, with EMAIL where the address goes. The form is
-- CSRF-exempt (Origin checked): no token, no cookie.
local report = require("report")
setup, done = report.setup, report.done

local before, after = os.getenv("BENCH_FORM"):match("^(.*)EMAIL(.*)$")
local run = os.getenv("BENCH_RUN")
local total = tonumber(os.getenv("BENCH_TOTAL"))
local threads = tonumber(os.getenv("BENCH_THREADS"))
local quota, sent, answered = 0, 0, 0

function init(args)
  report.init(args)
  -- This thread's share of the registrations (the first threads take the remainder).
  quota = math.floor(total / threads) + ((id <= total % threads) and 1 or 0)
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
end

-- Called before each request: once the share is sent, a connection idles (an hour, far past
-- the run's duration) instead of posting more, until the last answer stops the thread.
function delay()
  if sent >= quota then
    return 3600000
  end
  return 0
end

function request()
  sent = sent + 1
  local email = string.format("reg-%s-%d-%d%%40example.org", run, id, sent)
  return wrk.format("POST", wrk.path, nil, before .. email .. after)
end

function response(status, headers, body)
  report.response(status, headers, body)
  answered = answered + 1
  if answered >= quota then
    wrk.thread:stop()
  end
end
