# tests/frameworks/sidekiq/jobs.rb - job classes for the Sidekiq 6 framework
# test.  Loaded by the real `sidekiq` CLI (-r ./jobs.rb) and by producer.rb.
# Every job records each execution on keys outside Sidekiq's own namespace
# ("t:*") with atomic commands, so the producer can check exact run counts.
require "sidekiq"
require "sidekiq/job_retry"
require "json"

# Sidekiq 6.4 calls Redis#sadd for "queues" and redis-rb 4.8 warns on every push
Redis.silence_deprecations = true

# Fast scheduled/retry poller: with poll_interval_average set, the poller
# skips its 10 s initial wait (only 0-5 s random) and polls every 0.25-0.75 s.
Sidekiq.configure_server do |config|
  config.options[:average_scheduled_poll_interval] = 0.5
  config.options[:poll_interval_average] = 0.5
end

# Sidekiq adds rand(10) * (retry_count + 1) seconds of jitter on top of
# sidekiq_retry_in (up to 19 s for the 2nd retry), too slow for this test.
# Drop only the jitter: the delay is exactly what sidekiq_retry_in returns;
# the job still goes through the real "retry" zset and the poller.
module NoRetryJitter
  private

  def delay_for(worker, count, exception)
    if worker&.sidekiq_retry_in_block
      d = retry_in(worker, count, exception).to_i
      return d if d > 0
    end
    super
  end
end
Sidekiq::JobRetry.prepend(NoRetryJitter)

module Rec
  # one execution of job `id` of kind `kind`
  def self.run(kind, id, extra = {})
    Sidekiq.redis do |c|
      c.multi do |t|
        t.hincrby("t:runs:#{kind}", id.to_s, 1)
        t.sadd("t:ran:#{kind}", id.to_s)
        extra.each { |k, v| t.hset("t:#{k}:#{kind}", id.to_s, v.to_s) }
      end
    end
  end

  def self.attempt(kind, id)
    Sidekiq.redis { |c| c.hincrby("t:attempts:#{kind}", id.to_s, 1) }
  end
end

class FlakyError < StandardError; end
class PermanentError < StandardError; end

# plain job; echoes its arguments back so JSON round-tripping is checked
class CountJob
  include Sidekiq::Worker

  def perform(id, payload)
    Rec.run("count", id, "args" => JSON.generate([id, payload]))
  end
end

class CriticalJob
  include Sidekiq::Worker
  sidekiq_options queue: "critical"

  def perform(id)
    Rec.run("critical", id)
  end
end

# perform_in / perform_at: records when it actually ran; due is passed in
class ScheduledJob
  include Sidekiq::Worker

  def perform(id, due)
    Rec.run("sched", id, "ranat" => format("%.6f", Time.now.to_f), "due" => due)
  end
end

# fails twice, succeeds on the 3rd attempt
class FlakyJob
  include Sidekiq::Worker
  sidekiq_options retry: 5
  sidekiq_retry_in { |_count, _exc| 1 }

  def perform(id)
    n = Rec.attempt("flaky", id)
    raise FlakyError, "flaky #{id} attempt #{n}" if n <= 2
    Rec.run("flaky", id)
  end
end

# retry: 0 -> straight to the dead set
class NoRetryJob
  include Sidekiq::Worker
  sidekiq_options retry: 0

  def perform(id)
    Rec.attempt("noretry", id)
    raise PermanentError, "noretry #{id} failed"
  end
end

# retry: 2, always fails -> 3 attempts, then retries_exhausted + dead set
class ExhaustJob
  include Sidekiq::Worker
  sidekiq_options retry: 2
  sidekiq_retry_in { |_count, _exc| 1 }
  sidekiq_retries_exhausted do |msg, exc|
    Sidekiq.redis { |c| c.hset("t:exhausted", msg["args"][0].to_s, "#{exc.class}|#{msg["retry_count"]}") }
  end

  def perform(id)
    n = Rec.attempt("exhaust", id)
    raise PermanentError, "exhaust #{id} attempt #{n}"
  end
end

# retry: false -> counted as failed, neither retried nor dead
class NoDeadJob
  include Sidekiq::Worker
  sidekiq_options retry: false

  def perform(id)
    Rec.attempt("nodead", id)
    raise PermanentError, "nodead #{id}"
  end
end

# fails once with a retry far in the future; the producer retries it through
# the Sidekiq::RetrySet API (SortedEntry#retry)
class ApiRetryJob
  include Sidekiq::Worker
  sidekiq_options retry: 3
  sidekiq_retry_in { |_count, _exc| 3600 }

  def perform(id)
    n = Rec.attempt("apiretry", id)
    raise FlakyError, "apiretry #{id} attempt #{n}" if n == 1
    Rec.run("apiretry", id)
  end
end

# scheduled an hour ahead; the producer deletes one / enqueues one through the
# Sidekiq::ScheduledSet API
class FarJob
  include Sidekiq::Worker

  def perform(id)
    Rec.run("far", id, "ranat" => format("%.6f", Time.now.to_f))
  end
end
