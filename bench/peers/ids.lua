-- wrk script: POST the tutorial body {"id": <unique>, "observation": {...}} with an id no other
-- request of any run has used. Usage: wrk ... -s ids.lua URL -- BASE BODYFILE
-- BASE separates runs against the same server; each wrk thread numbers its own requests.
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  base = tonumber(args[1] or "0")
  local f = assert(io.open(args[2], "r"))
  observation = f:read("*a"):gsub("%s+$", "")
  f:close()
  prefix = base + tid * 1000000000
  counter = 0
  headers = {["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, headers,
    '{"id": ' .. string.format("%d", prefix + counter) .. ', "observation": ' .. observation .. '}')
end
