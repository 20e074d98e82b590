-- POST the newsletter sign-up form, each request with an address of its own.
-- BENCH_FORM is the form as served (consent version, source), urlencoded, with EMAIL where
-- the address goes. The sign-up is CSRF-exempt: no token, no cookie.
local report = require("report")
setup, response, done = report.setup, report.response, report.done

local before, after = os.getenv("BENCH_FORM"):match("^(.*)EMAIL(.*)$")
local run = os.getenv("BENCH_RUN")
local counter = 0

function init(args)
  report.init(args)
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
end

function request()
  counter = counter + 1
  local email = string.format("bench-%s-%d-%d%%40example.org", run, id, counter)
  return wrk.format("POST", wrk.path, nil, before .. email .. after)
end
