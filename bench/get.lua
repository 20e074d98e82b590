-- GET one page, as the reverse proxy would pass it on (X-Forwarded-Proto: https).
local report = require("report")
setup, init, response, done = report.setup, report.init, report.response, report.done

wrk.method = "GET"
wrk.headers["X-Forwarded-Proto"] = "https"
