package dev.supervision.core.supervisor;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartOptions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** A name that at most one live process holds, for tests of name clashes. */
final class SingleName implements Name {
  private final AtomicReference<@Nullable Pid> holder = new AtomicReference<>();

  @Override
  public Optional<Pid> register(Pid self) {
    while (true) {
      Pid current = holder.get();
      if (current != null && current.isAlive()) {
        return Optional.of(current);
      }
      if (holder.compareAndSet(current, self)) {
        return Optional.empty();
      }
    }
  }

  @Override
  public @Nullable Pid whereis() {
    Pid current = holder.get();
    return current != null && current.isAlive() ? current : null;
  }

  /** Starts a do-nothing server registered under this name, linked to the caller. */
  ChildStart start() {
    return () -> GenServer.startLink(Idle::new, StartOptions.named(this)).pid();
  }
}
