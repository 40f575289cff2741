package dev.supervision.sample.counter;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.NamedChildren;
import dev.supervision.sample.ApiException;
import dev.supervision.sample.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The counters: a {@link Counter} server per name under the {@code counters} dynamic supervisor,
 * found through the {@code counter-names} registry. Thread-safe.
 */
public final class Counters {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final NamedChildren<String, Counter.Message> children;

  /**
   * Counters kept by {@code children}: each a transient child of id {@code counter} (the bounded
   * tag its metrics carry, never the user's name), registered under its name.
   */
  Counters(NamedChildren<String, Counter.Message> children) {
    this.children = children;
  }

  /** A counter's value. */
  public record Value(String name, long value) {}

  /**
   * Adds one to counter {@code name}, starting it at zero if it does not exist (a cast).
   *
   * @throws ApiException.LimitReached if it does not exist and the most counters already do
   * @throws ApiException.Unavailable if it is restarting and did not come back in time
   */
  public void increment(String name) {
    Names.require("counter name", name);
    ServerRef<Counter.Message> counter;
    try {
      counter = children.findOrStart(name);
    } catch (ChildException.MaxChildren e) {
      throw ApiException.limitReached("cannot start '" + name + "': " + e.getMessage());
    } catch (ChildException.Restarting e) {
      throw ApiException.unavailable("'" + name + "' is restarting and did not come back");
    }
    counter.cast(Counter.Increment.INSTANCE);
  }

  /**
   * The value of counter {@code name}.
   *
   * @throws ApiException.NotFound if there is no such counter
   */
  public Value get(String name) {
    Names.require("counter name", name);
    return new Value(name, value(name, require(name)));
  }

  /** Every counter with its value, by name. */
  public List<Value> list() {
    List<Value> values = new ArrayList<>();
    for (ChildInfo child : children.supervisor().whichChildren()) {
      Pid pid = child.pid();
      List<String> names = pid == null ? List.of() : children.registry().keys(pid);
      if (pid == null || names.isEmpty()) {
        continue;
      }
      try {
        long value = ServerRef.<Counter.Message>of(pid).call(Counter.Get::new, CALL_TIMEOUT);
        values.add(new Value(names.getFirst(), value));
      } catch (CallException e) {
        // exited meanwhile: not listed
      }
    }
    values.sort(Comparator.comparing(Value::name));
    return values;
  }

  /**
   * Stops counter {@code name} and forgets it.
   *
   * @throws ApiException.NotFound if there is no such counter
   */
  public void delete(String name) {
    Names.require("counter name", name);
    if (!children.terminate(name)) {
      throw ApiException.notFound("counter", name);
    }
  }

  /**
   * Makes counter {@code name} fail; its supervisor restarts it at zero.
   *
   * @throws ApiException.NotFound if there is no such counter
   */
  public void crash(String name) {
    Names.require("counter name", name);
    require(name).cast(Counter.Fail.INSTANCE);
  }

  /** The number of running counters. */
  public int count() {
    return children.count();
  }

  private ServerRef<Counter.Message> require(String name) {
    return children.find(name).orElseThrow(() -> ApiException.notFound("counter", name));
  }

  /* Calls the counter, once more after a restart that raced with the call. */
  private long value(String name, ServerRef<Counter.Message> counter) {
    try {
      return counter.call(Counter.Get::new, CALL_TIMEOUT);
    } catch (CallException.NoProc | CallException.ServerExited e) {
      Optional<ServerRef<Counter.Message>> found = children.find(name);
      if (found.isEmpty()) {
        throw ApiException.notFound("counter", name);
      }
      ServerRef<Counter.Message> again = found.get();
      try {
        return again.call(Counter.Get::new, CALL_TIMEOUT);
      } catch (CallException retry) {
        throw ApiException.unavailable("counter '" + name + "' did not answer: " + retry);
      }
    } catch (CallException e) {
      throw ApiException.unavailable("counter '" + name + "' did not answer: " + e);
    }
  }
}
