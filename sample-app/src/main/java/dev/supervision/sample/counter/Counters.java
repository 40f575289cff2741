package dev.supervision.sample.counter;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.sample.ApiException;
import dev.supervision.sample.NamedChildren;
import dev.supervision.sample.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The counters: a {@link Counter} server per name under the {@code counters} dynamic supervisor,
 * found through the {@code counter-names} registry. Thread-safe.
 */
public final class Counters {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final NamedChildren<Counter.Message> children;

  /** Counters kept by {@code children}. */
  Counters(NamedChildren<Counter.Message> children) {
    this.children = children;
  }

  /** The child spec of counter {@code name}: a transient worker registered under its name. */
  static ChildSpec spec(String name, dev.supervision.core.process.Name via) {
    return ChildSpec.server(name, () -> new Counter(name), StartOptions.named(via))
        .withRestart(Restart.TRANSIENT);
  }

  /** A counter's value. */
  public record Value(String name, long value) {}

  /** Adds one to counter {@code name}, starting it at zero if it does not exist (a cast). */
  public void increment(String name) {
    Names.require("counter name", name);
    children.findOrStart(name).cast(Counter.Increment.INSTANCE);
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
      if (pid == null) {
        continue;
      }
      try {
        long value = ServerRef.<Counter.Message>of(pid).call(Counter.Get::new, CALL_TIMEOUT);
        values.add(new Value(child.id(), value));
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
    ServerRef<Counter.Message> counter = children.find(name);
    if (counter == null) {
      throw ApiException.notFound("counter", name);
    }
    return counter;
  }

  /* Calls the counter, once more after a restart that raced with the call. */
  private long value(String name, ServerRef<Counter.Message> counter) {
    try {
      return counter.call(Counter.Get::new, CALL_TIMEOUT);
    } catch (CallException.NoProc | CallException.ServerExited e) {
      @Nullable ServerRef<Counter.Message> again = children.find(name);
      if (again == null) {
        throw ApiException.notFound("counter", name);
      }
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
