-- wrk script: a reader's mix, round robin per connection thread: the page, the events API with a
-- window, a layer, the event-list callback (JSON body from the file named by $WRK_BODY_FILE),
-- health. All ask for gzip, as a browser does.
local f = assert(io.open(os.getenv("WRK_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local requests = {}
local i = 0

function init(args)
  local get = { ["Accept-Encoding"] = "gzip" }
  local post = { ["Accept-Encoding"] = "gzip", ["Content-Type"] = "application/json" }
  requests = {
    wrk.format("GET", "/", get),
    wrk.format("GET", "/api/events.geojson?start=2021-02-01&end=2021-03-31", get),
    wrk.format("GET", "/api/layers/aor.geojson", get),
    wrk.format("POST", "/_dash-update-component", post, body),
    wrk.format("GET", "/healthz", get),
  }
end

function request()
  i = i % #requests + 1
  return requests[i]
end
