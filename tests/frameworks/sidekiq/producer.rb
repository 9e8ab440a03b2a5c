# tests/frameworks/sidekiq/producer.rb PHASE - client side of the Sidekiq 6
# framework test.  REDIS_URL points at the server under test.
#   early  flush db 0, push jobs before any worker runs
#   main   wait for the worker, push the rest (async, bulk, scheduled, failing),
#          drive the RetrySet/ScheduledSet APIs, wait until everything ran
#   final  (after the worker exited on TERM) check Stats, queues, sets, dead set
require_relative "jobs"
require "json"

PHASE = ARGV[0] or abort("usage: producer.rb early|main|final")
$errors = []
def check(cond, msg)
  $errors << msg unless cond
  cond
end

def redis(&blk)
  Sidekiq.redis(&blk)
end

N_COUNT_EARLY = 120
N_COUNT_BULK = 150
N_COUNT_LATE = 30
N_COUNT = N_COUNT_EARLY + N_COUNT_BULK + N_COUNT_LATE # 300
N_CRIT = 20
N_SCHED_IN = 20
N_SCHED_BULK = 10
N_SCHED = N_SCHED_IN + N_SCHED_BULK
N_FLAKY = 5      # 3 attempts each
N_NORETRY = 3    # 1 attempt, dead
N_EXHAUST = 3    # 3 attempts, dead
N_NODEAD = 2     # 1 attempt, not dead
N_APIRETRY = 2   # 2 attempts (2nd via RetrySet API)
N_FAR = 4        # ScheduledSet API: 0 deleted, 1 enqueued, 2 rescheduled, 3 killed

EXP_PROCESSED = N_COUNT + N_CRIT + N_SCHED + 3 * N_FLAKY + N_NORETRY + 3 * N_EXHAUST +
                N_NODEAD + 2 * N_APIRETRY + 2
EXP_FAILED = 2 * N_FLAKY + N_NORETRY + 3 * N_EXHAUST + N_NODEAD + N_APIRETRY

def payload(i)
  {"i" => i, "s" => "ünï-#{i} \"q\" \\", "l" => [1, 2.5, nil, true, false, -7], "h" => {"k" => "v#{i}"}}
end

def hash_counts(kind, what = "runs")
  redis { |c| c.hgetall("t:#{what}:#{kind}") }.transform_values(&:to_i)
end

# every id in ids ran exactly `times` times under kind, and nothing else ran
def check_exact(kind, ids, times, what = "runs")
  got = hash_counts(kind, what)
  want = ids.map { |i| [i.to_s, times] }.to_h
  return true if got == want
  bad = (want.keys | got.keys).reject { |k| got[k] == want[k] }
  check(false, "#{kind}: #{what} mismatch for #{bad.size} ids, e.g. " +
    bad.first(5).map { |k| "#{k}: want #{want[k].inspect} got #{got[k].inspect}" }.join(", "))
end

def wait_until(what, timeout)
  deadline = Time.now + timeout
  loop do
    return true if yield
    if Time.now > deadline
      check(false, "timeout (#{timeout}s) waiting for #{what}")
      return false
    end
    sleep 0.1
  end
end

count_ids = (0...N_COUNT).to_a
crit_ids = (0...N_CRIT).to_a

case PHASE
when "early"
  redis { |c| c.flushdb }
  Sidekiq::Stats.new.reset # MSET stat:processed 0 stat:failed 0
  check(Sidekiq::Stats.new.processed == 0 && redis { |c| c.get("stat:failed") } == "0", "Stats#reset")
  # Queue API on a queue the worker does not listen to
  junk = (0...3).map { |i| Sidekiq::Client.push("class" => CountJob, "queue" => "junk", "args" => [1000 + i, {}]) }
  jq = Sidekiq::Queue.new("junk")
  rec = jq.find_job(junk[1])
  check(rec && rec.args == [1001, {}] && rec.queue == "junk", "Queue#find_job #{rec&.item.inspect}")
  rec&.delete # LREM
  check(jq.size == 2 && jq.map(&:jid).sort == [junk[0], junk[2]].sort, "Queue junk after JobRecord#delete: #{jq.map(&:jid).inspect}")
  jq.clear # MULTI UNLINK SREM
  check(jq.size == 0 && !redis { |c| c.sismember("queues", "junk") }, "Queue#clear")
  (0...N_COUNT_EARLY).each { |i| check(CountJob.perform_async(i, payload(i)).is_a?(String), "perform_async returned no jid") }
  (0...N_CRIT / 2).each { |i| CriticalJob.perform_async(i) }
  check(Sidekiq::Queue.new("default").size == N_COUNT_EARLY, "queue default size before worker #{Sidekiq::Queue.new("default").size} != #{N_COUNT_EARLY}")
  check(Sidekiq::Queue.new("critical").size == N_CRIT / 2, "queue critical size before worker")
  check(Sidekiq::Queue.all.map(&:name).sort == %w[critical default], "Queue.all #{Sidekiq::Queue.all.map(&:name).inspect}")
  q = Sidekiq::Queue.new("default")
  first = q.to_a.last # LPUSH: oldest at the tail
  check(first && first.klass == "CountJob" && first.args == [0, payload(0)], "Queue#each job record #{first&.item.inspect}")
  check(q.latency >= 0 && q.latency < 30, "queue latency #{q.latency}")

when "main"
  # the worker registers itself in "processes" on its first heartbeat
  wait_until("sidekiq process heartbeat", 20) { Sidekiq::ProcessSet.new.size == 1 }
  ps = Sidekiq::ProcessSet.new.to_a
  if check(ps.size == 1, "ProcessSet size #{ps.size}")
    pr = ps[0]
    check(pr["concurrency"] == 5, "process concurrency #{pr["concurrency"].inspect}")
    check(pr["queues"].sort == %w[critical default], "process queues #{pr["queues"].inspect}")
    check(pr["pid"].is_a?(Integer) && pr["pid"] > 0, "process pid #{pr["pid"].inspect}")
  end

  t0 = Time.now.to_f
  # scheduled first, so their 1-2 s delay overlaps the rest of the run
  sched_jids = (0...N_SCHED_IN).map do |i|
    delay = 1.0 + (i % 11) * 0.1
    due = Time.now.to_f + delay
    ScheduledJob.perform_in(delay, i, format("%.6f", due))
  end
  at = Time.now.to_f + 1.5
  Sidekiq::Client.push_bulk("class" => ScheduledJob, "at" => at,
    "args" => (N_SCHED_IN...N_SCHED).map { |i| [i, format("%.6f", at)] })
  ss = Sidekiq::ScheduledSet.new
  check(ss.size <= N_SCHED, "ScheduledSet size #{ss.size} > #{N_SCHED}")
  j = ss.find_job(sched_jids[-1])
  check(j && j.klass == "ScheduledJob" && j.args[0] == N_SCHED_IN - 1, "ScheduledSet#find_job #{j&.item.inspect}")

  far = (0...N_FAR).map { |i| FarJob.perform_in(3600, i) }
  far_due = nil

  jids = Sidekiq::Client.push_bulk("class" => CountJob,
    "args" => (N_COUNT_EARLY...N_COUNT_EARLY + N_COUNT_BULK).map { |i| [i, payload(i)] })
  check(jids.size == N_COUNT_BULK && jids.uniq.size == N_COUNT_BULK, "push_bulk jids #{jids.size}")
  (N_COUNT_EARLY + N_COUNT_BULK...N_COUNT).each { |i| CountJob.perform_async(i, payload(i)) }
  (N_CRIT / 2...N_CRIT).each { |i| CriticalJob.perform_async(i) }
  N_FLAKY.times { |i| FlakyJob.perform_async(i) }
  N_NORETRY.times { |i| NoRetryJob.perform_async(i) }
  N_EXHAUST.times { |i| ExhaustJob.perform_async(i) }
  N_NODEAD.times { |i| NoDeadJob.perform_async(i) }
  api_jids = (0...N_APIRETRY).map { |i| ApiRetryJob.perform_async(i) }

  # ScheduledSet API: delete FarJob 0, run FarJob 1 now, reschedule FarJob 2
  # to 1 s from now (ZINCRBY by a negative float), move FarJob 3 to the dead set
  e = far.map { |jid| Sidekiq::ScheduledSet.new.find_job(jid) }
  if check(e.all?, "FarJob entries not found in ScheduledSet: #{e.map(&:nil?).inspect}")
    check(e.all? { |x| x.at.to_f > Time.now.to_f + 3000 }, "FarJob scheduled at #{e.map(&:at).inspect}")
    e[0].delete
    e[1].add_to_queue
    far_due = Time.now.to_f + 1.0
    e[2].reschedule(far_due)
    e[3].kill
    check(Sidekiq::ScheduledSet.new.find_job(far[0]).nil?, "deleted FarJob still in ScheduledSet")
    check(Sidekiq::ScheduledSet.new.find_job(far[1]).nil?, "enqueued FarJob still in ScheduledSet")
    check(Sidekiq::ScheduledSet.new.find_job(far[3]).nil?, "killed FarJob still in ScheduledSet")
    r = Sidekiq::ScheduledSet.new.find_job(far[2])
    check(r.nil? || (r.score - far_due).abs < 0.01, "rescheduled FarJob score #{r&.score} != #{far_due}")
    k = Sidekiq::DeadSet.new.find_job(far[3])
    check(k && k.klass == "FarJob" && k.args == [3], "killed FarJob not in DeadSet: #{k&.item.inspect}")
  end

  # RetrySet API: each ApiRetryJob fails once and parks in "retry" an hour
  # ahead; check the entry, then SortedEntry#retry pushes it back at once
  wait_until("ApiRetryJob in RetrySet", 20) { Sidekiq::RetrySet.new.count { |e| e.klass == "ApiRetryJob" } == N_APIRETRY }
  Sidekiq::RetrySet.new.select { |e| e.klass == "ApiRetryJob" }.each do |e|
    check(api_jids.include?(e.jid), "RetrySet jid #{e.jid}")
    check(e["retry_count"] == 0, "ApiRetryJob retry_count #{e["retry_count"].inspect}")
    check(e["error_class"] == "FlakyError" && e["error_message"] == "apiretry #{e.args[0]} attempt 1",
      "ApiRetryJob error #{e["error_class"]}: #{e["error_message"]}")
    check(e.at.to_f > Time.now.to_f + 3000, "ApiRetryJob retry at #{e.at}")
    e.retry
  end

  ok = wait_until("all jobs to finish", 40) do
    redis do |c|
      c.scard("t:ran:count") == N_COUNT && c.scard("t:ran:critical") == N_CRIT &&
        c.scard("t:ran:sched") == N_SCHED && c.scard("t:ran:flaky") == N_FLAKY &&
        c.hlen("t:attempts:noretry") == N_NORETRY && c.hlen("t:exhausted") == N_EXHAUST &&
        c.hlen("t:attempts:nodead") == N_NODEAD && c.scard("t:ran:apiretry") == N_APIRETRY &&
        c.scard("t:ran:far") == 2 && c.zcard("retry") == 0 && c.zcard("schedule") == 0
    end
  end
  took = Time.now.to_f - t0
  sleep 1.5 # anything that would run twice gets the chance to

  check_exact("count", count_ids, 1)
  args = redis { |c| c.hgetall("t:args:count") }
  bad = count_ids.reject { |i| args[i.to_s] == JSON.generate([i, payload(i)]) }
  check(bad.empty?, "CountJob args not round-tripped for #{bad.size} jobs, e.g. #{bad.first}: #{args[bad.first.to_s].inspect}")
  check_exact("critical", crit_ids, 1)
  check_exact("sched", (0...N_SCHED).to_a, 1)
  ranat = redis { |c| c.hgetall("t:ranat:sched") }
  dues = redis { |c| c.hgetall("t:due:sched") }
  early = (0...N_SCHED).select { |i| ranat[i.to_s].to_f < dues[i.to_s].to_f }
  check(early.empty?, "scheduled jobs ran before their time: " +
    early.first(5).map { |i| "#{i}: ran #{ranat[i.to_s]} due #{dues[i.to_s]}" }.join(", "))
  late = (0...N_SCHED).select { |i| ranat[i.to_s].to_f > dues[i.to_s].to_f + 10 }
  check(late.empty?, "scheduled jobs ran >10 s late: #{late.first(5).inspect}")
  check_exact("flaky", (0...N_FLAKY).to_a, 3, "attempts")
  check_exact("flaky", (0...N_FLAKY).to_a, 1)
  check_exact("noretry", (0...N_NORETRY).to_a, 1, "attempts")
  check_exact("exhaust", (0...N_EXHAUST).to_a, 3, "attempts")
  exh = redis { |c| c.hgetall("t:exhausted") }
  check(exh == (0...N_EXHAUST).map { |i| [i.to_s, "PermanentError|2"] }.to_h, "retries_exhausted calls #{exh.inspect}")
  check_exact("nodead", (0...N_NODEAD).to_a, 1, "attempts")
  check_exact("apiretry", (0...N_APIRETRY).to_a, 2, "attempts")
  check_exact("apiretry", (0...N_APIRETRY).to_a, 1)
  check_exact("far", [1, 2], 1)
  far2 = redis { |c| c.hget("t:ranat:far", "2") }.to_f
  check(far2 >= far_due.to_f - 0.001, "rescheduled FarJob ran at #{far2}, before #{far_due}") if far_due
  puts format("sidekiq main: jobs finished in %.1fs", took) if ok

when "final"
  st = Sidekiq::Stats.new
  check(st.processed == EXP_PROCESSED, "Stats processed #{st.processed} != #{EXP_PROCESSED}")
  check(st.failed == EXP_FAILED, "Stats failed #{st.failed} != #{EXP_FAILED}")
  hist = Sidekiq::Stats::History.new(2)
  check(hist.processed.values.sum == EXP_PROCESSED, "History processed #{hist.processed.inspect}")
  check(hist.failed.values.sum == EXP_FAILED, "History failed #{hist.failed.inspect}")
  check(st.enqueued == 0, "Stats enqueued #{st.enqueued}")
  check(st.retry_size == 0, "Stats retry_size #{st.retry_size}")
  check(st.scheduled_size == 0, "Stats scheduled_size #{st.scheduled_size}")
  check(st.dead_size == N_NORETRY + N_EXHAUST + 1, "Stats dead_size #{st.dead_size} != #{N_NORETRY + N_EXHAUST + 1}")
  check(st.processes_size == 0, "Stats processes_size #{st.processes_size} after TERM")
  Sidekiq::Queue.all.each { |q| check(q.size == 0, "queue #{q.name} size #{q.size}") }
  check(redis { |c| c.keys("queue:*") }.empty?, "queue keys left: #{redis { |c| c.keys("queue:*") }.inspect}")
  check(Sidekiq::RetrySet.new.size == 0, "RetrySet size #{Sidekiq::RetrySet.new.size}")
  check(Sidekiq::ScheduledSet.new.size == 0, "ScheduledSet size #{Sidekiq::ScheduledSet.new.size}")
  check(Sidekiq::ProcessSet.new.size == 0, "ProcessSet size after TERM")

  dead = Sidekiq::DeadSet.new.to_a
  got = dead.map { |e| [e.klass, e.args[0], e["error_class"], e["error_message"], e["retry_count"]] }.sort_by(&:inspect)
  want = ((0...N_NORETRY).map { |i| ["NoRetryJob", i, "PermanentError", "noretry #{i} failed", 0] } +
          (0...N_EXHAUST).map { |i| ["ExhaustJob", i, "PermanentError", "exhaust #{i} attempt 3", 2] } +
          [["FarJob", 3, nil, nil, nil]]).sort_by(&:inspect)
  check(got == want, "DeadSet contents #{got.inspect} != #{want.inspect}")
  dead.each { |e| check(e.at.to_f > Time.now.to_f - 120 && e.at.to_f <= Time.now.to_f, "dead entry time #{e.at}") }
  # DeadSet#find_job (ZSCAN MATCH) finds each one
  dead.each { |e| check(Sidekiq::DeadSet.new.find_job(e.jid)&.jid == e.jid, "DeadSet#find_job #{e.jid}") }
  puts "sidekiq final: processed=#{st.processed} failed=#{st.failed} dead=#{st.dead_size}"
else
  abort "unknown phase #{PHASE}"
end

if $errors.empty?
  exit 0
else
  $errors.each { |e| warn "sidekiq #{PHASE}: FAIL #{e}" }
  exit 1
end
