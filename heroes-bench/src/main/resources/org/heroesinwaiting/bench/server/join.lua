-- JoinBench's light load client for wrk: each request is one student join into the classrooms in
-- JOIN_CODES (one code a line), JOIN_SEATS seats each. JOIN_ORDER "class" fills them a class at a
-- time (joins 0 to 29 into the first), "spread" in turn (join k into classroom k mod their number,
-- the spare classrooms apart). Each of wrk's JOIN_THREADS
-- threads sends its share of JOIN_TOTAL and stops; the joins a thread's other connections had in
-- flight then go to the spare classrooms at the end of the list. A thread notes the wall clock at
-- its first request and at its last response (wrk's own duration is its -d, which it sleeps
-- through), and leaves a file in JOIN_DONE when done, for JoinBench to interrupt wrk. done()
-- prints one line for JoinBench: requests, the burst's microseconds, p50 and p99 in microseconds,
-- and refused joins.
local codes = {}
for line in io.lines(os.getenv("JOIN_CODES")) do
    codes[#codes + 1] = line
end
local seats = tonumber(os.getenv("JOIN_SEATS"))
local total = tonumber(os.getenv("JOIN_TOTAL"))
local thread_count = tonumber(os.getenv("JOIN_THREADS"))
local spread = os.getenv("JOIN_ORDER") == "spread"
local classrooms = math.floor(total / seats)

-- the 0-based classroom of the join-th join; joins past the total go to the spare classrooms
local function classroom(join)
    if join >= total then
        return classrooms + math.floor((join - total) / seats)
    elseif spread then
        return join % classrooms
    end
    return math.floor(join / seats)
end

local threads = {}
function setup(thread)
    thread:set("id", #threads)
    threads[#threads + 1] = thread
end

local sent, received, quota = 0, 0, 0
refused, first_ns, last_ns = 0, 0, 0

local function now_ns()
    local date = io.popen("date +%s%N")
    local ns = tonumber(date:read("*l"))
    date:close()
    return ns
end
function init(args)
    quota = math.floor(total / thread_count) + ((id < total % thread_count) and 1 or 0)
end

function request()
    if sent == 0 then
        first_ns = now_ns()
    end
    local join = sent * thread_count + id
    sent = sent + 1
    local body = '{"classroom_code": "' .. codes[classroom(join) + 1] .. '", "age_range": "10-11", "grade_level": 5}'
    return wrk.format("POST", "/api/v1/student/join", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
    received = received + 1
    if status ~= 201 then
        refused = refused + 1
    end
    if received == quota then
        last_ns = now_ns()
        io.open(os.getenv("JOIN_DONE") .. "/thread-" .. id, "w"):close()
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local refusals, first, last = 0, math.huge, 0
    for _, thread in ipairs(threads) do
        refusals = refusals + thread:get("refused")
        first = math.min(first, thread:get("first_ns"))
        last = math.max(last, thread:get("last_ns"))
    end
    io.write(string.format("JOINBENCH %d %d %d %d %d\n", summary.requests, (last - first) / 1000, latency:percentile(50),
        latency:percentile(99), refusals))
end
