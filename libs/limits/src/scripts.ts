/*
 * The Lua scripts, run with EVALSHA (ioredis defineCommand falls back to EVAL on NOSCRIPT).
 * Time comes from Redis (TIME) so every gateway replica shares one clock. Money is compared as
 * decimal integer strings (exact at any size); request and token counts as Lua numbers.
 */

/**
 * ADMIT — one atomic check-then-take over every descriptor and budget of a request.
 * KEYS: [1] tier hash, then per descriptor i: window, parallel set; then per budget j: spend hash.
 * ARGV: [1] call id, [2] window ms, [3] parallel lease ms, [4] tier per-model field prefix,
 *       [5] descriptor count, [6] budget count, then per descriptor: rpm, tpm, max_parallel,
 *       then per budget: max (pico), strict ('1' = refuse only when spend > max).
 * A limit is '' (none), a number, or '@field' (the tier's value).
 * Returns {1, 0, 0, 0, 0, 0, statuses, spends, maxes}               admitted
 *         {2, j, 0, 0, 0, 0, statuses, spends, maxes}               budget j exceeded
 *         {3, i, type, limit, remaining, reset_at_ms, statuses, spends, maxes}  rate limit (type 1 req, 2 tok, 3 parallel)
 * statuses: per descriptor 7 numbers: rpm, rpm remaining, tpm, tpm remaining, parallel, parallel remaining, window reset ms
 * (-1 where the descriptor has no such limit).
 */
export const ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local mp = ARGV[4]
local nd = tonumber(ARGV[5])
local nb = tonumber(ARGV[6])
local tv = redis.call('HMGET', KEYS[1], 'max', 'rpm', 'tpm', 'par', mp .. 'budget', mp .. 'rpm', mp .. 'tpm')
local tier = { max = tv[1], rpm = tv[2], tpm = tv[3], par = tv[4], m_budget = tv[5], m_rpm = tv[6], m_tpm = tv[7] }

local function spec(v)
  if v == '' then return false end
  if string.sub(v, 1, 1) == '@' then
    local x = tier[string.sub(v, 2)]
    if x == nil or x == false or x == '' then return false end
    return x
  end
  return v
end

-- exact comparison of non-negative decimal integer strings
local function cmp(a, b)
  a = string.gsub(a, '^0+(%d)', '%1')
  b = string.gsub(b, '^0+(%d)', '%1')
  if #a ~= #b then if #a < #b then return -1 else return 1 end end
  if a == b then return 0 end
  if a < b then return -1 else return 1 end
end

local spends, maxes = {}, {}
local over = 0
for j = 1, nb do
  local k = KEYS[1 + 2 * nd + j]
  local s = redis.call('HGET', k, 's')
  if not s then s = '0' end
  local m = spec(ARGV[6 + 3 * nd + 2 * j - 1])
  spends[j] = s
  maxes[j] = m or ''
  if m and over == 0 then
    local c = cmp(s, m)
    local strict = ARGV[6 + 3 * nd + 2 * j] == '1'
    if (strict and c > 0) or ((not strict) and c >= 0) then over = j end
  end
end

local st = {}
local plan = {}
local refusal = nil
for i = 1, nd do
  local a = 6 + 3 * (i - 1)
  local rpm, tpm, par = spec(ARGV[a + 1]), spec(ARGV[a + 2]), spec(ARGV[a + 3])
  rpm = rpm and tonumber(rpm) or nil
  tpm = tpm and tonumber(tpm) or nil
  par = par and tonumber(par) or nil
  local wk, pk = KEYS[2 * i], KEYS[2 * i + 1]
  local ws, req, tok, fresh = now, 0, 0, true
  if rpm or tpm then
    local w = redis.call('HMGET', wk, 'ws', 'req', 'tok')
    local wstart = tonumber(w[1])
    if wstart and now - wstart < window then
      ws, req, tok, fresh = wstart, tonumber(w[2]) or 0, tonumber(w[3]) or 0, false
    end
  end
  local inflight = 0
  if par then
    redis.call('ZREMRANGEBYSCORE', pk, '-inf', now)
    inflight = redis.call('ZCARD', pk)
  end
  local reset = ws + window
  if not refusal then
    if rpm and req + 1 > rpm then refusal = { 3, i, 1, rpm, math.max(0, rpm - req), reset }
    elseif tpm and tok >= tpm then refusal = { 3, i, 2, tpm, math.max(0, tpm - tok), reset }
    elseif par and inflight >= par then refusal = { 3, i, 3, par, 0, now + 1000 } end
  end
  plan[i] = { wk, pk, rpm, tpm, par, fresh }
  local b = 7 * (i - 1)
  st[b + 1] = rpm or -1
  st[b + 2] = rpm and math.max(0, rpm - req - 1) or -1
  st[b + 3] = tpm or -1
  st[b + 4] = tpm and math.max(0, tpm - tok) or -1
  st[b + 5] = par or -1
  st[b + 6] = par and math.max(0, par - inflight - 1) or -1
  st[b + 7] = reset
end

if over > 0 then return { 2, over, 0, 0, 0, 0, st, spends, maxes } end
if refusal then
  refusal[7], refusal[8], refusal[9] = st, spends, maxes
  return refusal
end

for i = 1, nd do
  local p = plan[i]
  if p[3] or p[4] then
    if p[6] then
      redis.call('HSET', p[1], 'ws', now, 'req', 1, 'tok', 0)
      redis.call('PEXPIRE', p[1], window)
    else
      redis.call('HINCRBY', p[1], 'req', 1)
    end
  end
  if p[5] then
    redis.call('ZADD', p[2], now + lease, ARGV[1])
    redis.call('PEXPIRE', p[2], lease)
  end
end
return { 1, 0, 0, 0, 0, 0, st, spends, maxes }
`;

/**
 * COMPLETE — after the reply: add the tokens to each window and free the call's parallel slots.
 * KEYS: windows (ARGV[4] of them), then parallel sets. ARGV: [1] call id, [2] tokens, [3] window ms, [4] window count.
 * A window that has ended meanwhile is started anew with these tokens (they were spent now).
 */
export const COMPLETE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local nw = tonumber(ARGV[4])
for i = 1, nw do
  if tokens > 0 then
    local ws = tonumber(redis.call('HGET', KEYS[i], 'ws'))
    if ws and now - ws < window then
      redis.call('HINCRBY', KEYS[i], 'tok', tokens)
    else
      redis.call('HSET', KEYS[i], 'ws', now, 'req', 0, 'tok', tokens)
      redis.call('PEXPIRE', KEYS[i], window)
    end
  end
end
for i = nw + 1, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[1])
end
return 1
`;

/**
 * SET_SPEND — the budget service's projection of Postgres totals: each spend hash takes the new
 * value only when its version is newer, so replays, reorderings across replicas and rebuilds all
 * converge on the latest committed total. KEYS: spend hashes. ARGV: per key: pico, version.
 * Returns how many hashes changed.
 */
export const SET_SPEND_LUA = `
local changed = 0
for i = 1, #KEYS do
  local v = tonumber(ARGV[2 * i])
  local cur = tonumber(redis.call('HGET', KEYS[i], 'v'))
  if (not cur) or cur < v then
    redis.call('HSET', KEYS[i], 's', ARGV[2 * i - 1], 'v', ARGV[2 * i])
    changed = changed + 1
  end
end
return changed
`;
