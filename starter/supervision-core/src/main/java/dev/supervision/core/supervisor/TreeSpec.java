package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.StartIgnoredException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A supervision tree declared flat, as configuration describes one: a root supervisor, each other
 * supervisor with the name of its parent, and the children added to each; validated as a whole by
 * {@link Builder#build()}, then turned into the root's {@link SupervisorSpec}, whose children start
 * the supervisors below it.
 *
 * {@snippet :
 * TreeSpec tree = TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
 *     .supervisor("root", SupervisorSpec.of("chat", Strategy.REST_FOR_ONE))
 *     .supervisor("chat", DynamicSupervisorSpec.of("rooms").withMaxChildren(1000))
 *     .supervisor("root", SupervisorSpec.of("imports", Strategy.ONE_FOR_ONE)
 *         .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT))
 *     .asChild("imports", Restart.TRANSIENT, false)
 *     .child("chat", ChildSpec.server("history", History::new))
 *     .build();
 * SupervisorRef root = Supervisor.start(node, tree.toSupervisorSpec());
 * // root -> [chat -> [rooms, history], imports]
 * }
 *
 * <p>What {@link Builder#build()} checks, each failure an {@link InvalidSpecException} naming the
 * supervisor or child, the fix, and (as {@link InvalidSpecException#subject()} and {@link
 * InvalidSpecException#component()}) where it lies:
 *
 * <table>
 *   <caption>Rules of a tree</caption>
 *   <tr><th>Rule</th><th>Subject</th><th>Component</th></tr>
 *   <tr><td>supervisor names are unique in the tree, the root's included</td><td>the
 *   supervisor</td><td>{@code name}</td></tr>
 *   <tr><td>a supervisor's parent is a supervisor of the tree</td><td>the supervisor</td>
 *   <td>{@code parent}</td></tr>
 *   <tr><td>parents form no cycle: every supervisor leads up to the root</td><td>the first
 *   declared supervisor of the cycle</td><td>{@code parent}</td></tr>
 *   <tr><td>a child is added to a supervisor of the tree</td><td>the child</td>
 *   <td>{@code supervisor}</td></tr>
 *   <tr><td>a significant supervisor is transient or temporary</td><td>the supervisor</td>
 *   <td>{@code restart}</td></tr>
 *   <tr><td>a significant supervisor or child is under a static supervisor with an auto-shutdown
 *   (not {@link AutoShutdown#NEVER}, and not a dynamic supervisor)</td><td>the supervisor or
 *   child</td><td>{@code significant}</td></tr>
 *   <tr><td>children of a static supervisor have unique ids (a supervisor's id is its
 *   name)</td><td>the parent supervisor</td><td>{@code children}</td></tr>
 * </table>
 *
 * <p>Each spec's own rules (a positive intensity window, a non-negative {@code maxChildren}) are
 * checked by its constructor, before it reaches the builder.
 *
 * <p>Order: the children of a supervisor are the children of its own spec, then the supervisors
 * declared under it in declaration order, then the children {@linkplain Builder#child added} to it
 * in the order added. They start in that order and stop in reverse. A supervisor below the root is
 * a child of type {@link ChildType#SUPERVISOR} with an infinite shutdown, permanent and not
 * significant unless {@linkplain Builder#asChild declared otherwise}. A dynamic supervisor starts
 * its children right after itself, every time it starts; they are then its dynamic children
 * (restarted by their restart type, gone when they end), and one whose start is ignored is left
 * out, as Elixir does.
 *
 * <p>Immutable and thread-safe; the specs it returns may be started any number of times.
 */
public final class TreeSpec {
  private static final BiConsumer<String, Pid> NO_LISTENER = (name, pid) -> {};

  private final SupervisorSpec root;
  private final Map<String, Branch> branches;
  private final List<Leaf> leaves;

  private TreeSpec(SupervisorSpec root, Map<String, Branch> branches, List<Leaf> leaves) {
    this.root = root;
    this.branches = branches;
    this.leaves = leaves;
  }

  /** A builder of a tree whose root supervisor is {@code root}. */
  public static Builder builder(SupervisorSpec root) {
    return new Builder(root);
  }

  /** The root supervisor's spec, as given to the builder. */
  public SupervisorSpec root() {
    return root;
  }

  /** The root supervisor's name. */
  public String rootName() {
    return root.name();
  }

  /** The name of every supervisor of the tree: the root first, then in declaration order. */
  public List<String> supervisors() {
    List<String> names = new ArrayList<>(branches.size() + 1);
    names.add(root.name());
    names.addAll(branches.keySet());
    return Collections.unmodifiableList(names);
  }

  /**
   * Whether {@code name} is a dynamic supervisor of the tree ({@code false} for the root, a static
   * supervisor or an unknown name).
   */
  public boolean isDynamic(String name) {
    Branch branch = branches.get(name);
    return branch != null && branch.kind instanceof Dynamic;
  }

  /** The name of the parent of supervisor {@code name}; {@code null} for the root or a stranger. */
  public @Nullable String parentOf(String name) {
    Branch branch = branches.get(name);
    return branch == null ? null : branch.parent;
  }

  /** The root's spec, whose children start the whole tree. */
  public SupervisorSpec toSupervisorSpec() {
    return toSupervisorSpec(NO_LISTENER);
  }

  /**
   * The root's spec, whose children start the whole tree, telling {@code started} the name and pid
   * of every supervisor below the root each time it has started (at the first start and at every
   * restart). It runs in the parent supervisor's process, after a static supervisor's children have
   * started and before a dynamic supervisor's; it must be quick and must not call the parent.
   */
  public SupervisorSpec toSupervisorSpec(BiConsumer<String, Pid> started) {
    Objects.requireNonNull(started, "started");
    return root.withChildren(membersOf(root.name(), root.children(), started));
  }

  /* The children of supervisor `name`: its own, its supervisors, the children added to it. */
  private List<ChildSpec> membersOf(
      String name, List<ChildSpec> own, BiConsumer<String, Pid> started) {
    List<ChildSpec> members = new ArrayList<>(own);
    for (Branch branch : branches.values()) {
      if (branch.parent.equals(name)) {
        members.add(
            branch.childSpec(membersOf(branch.name, branch.ownChildren(), started), started));
      }
    }
    for (Leaf leaf : leaves) {
      if (leaf.supervisor.equals(name)) {
        members.add(leaf.spec);
      }
    }
    return members;
  }

  /* Checks what only the whole tree shows, in the order the class documents. */
  private void validate() {
    for (Branch branch : branches.values()) {
      if (!branch.parent.equals(root.name()) && !branches.containsKey(branch.parent)) {
        throw new InvalidSpecException(
            "supervisor '"
                + branch.name
                + "' has parent '"
                + branch.parent
                + "', which is not a supervisor of the tree; use one of "
                + supervisorsBut(branch.name),
            branch.name,
            "parent");
      }
    }
    for (Branch branch : branches.values()) {
      List<String> cycle = cycleFrom(branch.name);
      if (!cycle.isEmpty()) {
        throw new InvalidSpecException(
            "supervisors form a cycle of parents: "
                + String.join(" -> ", cycle)
                + "; give one of them the root '"
                + root.name()
                + "', or a supervisor outside the cycle, as parent",
            cycle.getFirst(),
            "parent");
      }
    }
    for (Leaf leaf : leaves) {
      if (!leaf.supervisor.equals(root.name()) && !branches.containsKey(leaf.supervisor)) {
        throw new InvalidSpecException(
            "child '"
                + leaf.spec.id()
                + "' is added to supervisor '"
                + leaf.supervisor
                + "', which is not a supervisor of the tree; use one of "
                + supervisorsBut(""),
            leaf.spec.id(),
            "supervisor");
      }
    }
    /* Assembling the specs checks a significant supervisor's restart (ChildSpec) and unique ids
     * (SupervisorSpec); then each supervisor checks its significant children by its own rule. */
    toSupervisorSpec().requireSignificantAllowed();
    for (Branch branch : branches.values()) {
      List<ChildSpec> members = membersOf(branch.name, branch.ownChildren(), NO_LISTENER);
      switch (branch.kind) {
        case Static s -> s.spec.withChildren(members).requireSignificantAllowed();
        case Dynamic d -> {
          for (ChildSpec member : members) {
            DynamicSupervisorSpec.requireNotSignificant(branch.name, member);
          }
        }
      }
    }
  }

  /* The cycle reached by following parents from `name`, as a path that ends where it began. */
  private List<String> cycleFrom(String name) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    String current = name;
    while (!current.equals(root.name())) {
      if (!seen.add(current)) {
        if (!current.equals(name)) {
          return List.of(); // `name` leads into a cycle it is not part of; reported from a member
        }
        List<String> path = new ArrayList<>(seen);
        path.add(current);
        return path;
      }
      Branch branch = branches.get(current);
      if (branch == null) {
        return List.of();
      }
      current = branch.parent;
    }
    return List.of();
  }

  private String supervisorsBut(String self) {
    List<String> names = new ArrayList<>(supervisors());
    names.remove(self);
    return String.join(", ", names);
  }

  @Override
  public String toString() {
    return "TreeSpec[root=" + root.name() + ", supervisors=" + supervisors() + "]";
  }

  /** Declares a tree; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private final SupervisorSpec root;
    private final List<Branch> branches = new ArrayList<>();
    private final List<Leaf> leaves = new ArrayList<>();

    private Builder(SupervisorSpec root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * A static supervisor under the supervisor named {@code parent} (the root's name for the root),
     * after those declared before under the same parent. The parent may be declared later.
     */
    public Builder supervisor(String parent, SupervisorSpec spec) {
      return declare(parent, new Static(Objects.requireNonNull(spec, "spec")), spec.name());
    }

    /**
     * A dynamic supervisor under the supervisor named {@code parent} (the root's name for the
     * root), after those declared before under the same parent. The parent may be declared later.
     */
    public Builder supervisor(String parent, DynamicSupervisorSpec spec) {
      return declare(parent, new Dynamic(Objects.requireNonNull(spec, "spec")), spec.name());
    }

    private Builder declare(String parent, Kind kind, String name) {
      Objects.requireNonNull(parent, "parent");
      branches.add(new Branch(name, parent, kind, Restart.PERMANENT, false));
      return this;
    }

    /**
     * How the supervisor {@code name}, declared before, runs as a child of its parent: its restart
     * type and whether it is significant (by default permanent and not significant). {@link
     * #build()} checks the combination.
     *
     * @throws IllegalArgumentException if no supervisor {@code name} has been declared
     */
    public Builder asChild(String name, Restart restart, boolean significant) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(restart, "restart");
      for (int i = branches.size() - 1; i >= 0; i--) {
        Branch b = branches.get(i);
        if (b.name.equals(name)) {
          branches.set(i, new Branch(b.name, b.parent, b.kind, restart, significant));
          return this;
        }
      }
      throw new IllegalArgumentException(
          "supervisor '" + name + "' has not been declared; declare it with supervisor() first");
    }

    /**
     * A child of the supervisor named {@code supervisor} (the root's name for the root), after the
     * children added to it before. The supervisor may be declared later.
     */
    public Builder child(String supervisor, ChildSpec spec) {
      leaves.add(
          new Leaf(
              Objects.requireNonNull(supervisor, "supervisor"),
              Objects.requireNonNull(spec, "spec")));
      return this;
    }

    /**
     * Validates the tree against the rules the class documents and builds it (nothing starts).
     *
     * @throws InvalidSpecException naming the supervisor or child at fault and the fix
     */
    public TreeSpec build() {
      Map<String, Branch> byName = new LinkedHashMap<>();
      for (Branch branch : branches) {
        if (branch.name.equals(root.name())) {
          throw new InvalidSpecException(
              "supervisor '"
                  + branch.name
                  + "' has the root supervisor's name; give one of them another name",
              branch.name,
              "name");
        }
        if (byName.putIfAbsent(branch.name, branch) != null) {
          throw new InvalidSpecException(
              "supervisor '" + branch.name + "' is declared twice; give one of them another name",
              branch.name,
              "name");
        }
      }
      TreeSpec tree = new TreeSpec(root, Collections.unmodifiableMap(byName), List.copyOf(leaves));
      tree.validate();
      return tree;
    }
  }

  /* What kind of supervisor a branch is, with its spec (its own children included). */
  private sealed interface Kind {}

  private record Static(SupervisorSpec spec) implements Kind {}

  private record Dynamic(DynamicSupervisorSpec spec) implements Kind {}

  /* A supervisor below the root. */
  private record Branch(
      String name, String parent, Kind kind, Restart restart, boolean significant) {

    List<ChildSpec> ownChildren() {
      return switch (kind) {
        case Static s -> s.spec.children();
        case Dynamic d -> List.of();
      };
    }

    /* This supervisor as a child of its parent, whose start reports it to `started`. */
    ChildSpec childSpec(List<ChildSpec> members, BiConsumer<String, Pid> started) {
      ChildStart start =
          switch (kind) {
            case Static s -> {
              SupervisorSpec spec = s.spec.withChildren(members);
              yield () -> {
                Pid pid = Supervisor.startLink(spec).pid();
                started.accept(name, pid);
                return pid;
              };
            }
            case Dynamic d -> () -> startDynamic(d.spec, members, started);
          };
      return new ChildSpec(
          name, start, restart, Shutdown.infinity(), ChildType.SUPERVISOR, significant);
    }

    private Pid startDynamic(
        DynamicSupervisorSpec spec, List<ChildSpec> members, BiConsumer<String, Pid> started) {
      DynamicSupervisorRef supervisor = DynamicSupervisor.startLink(spec);
      started.accept(name, supervisor.pid());
      try {
        for (ChildSpec member : members) {
          try {
            supervisor.startChild(member);
          } catch (StartIgnoredException ignored) {
            // The member's init answered ignore: as in Elixir, nothing is kept for it.
          }
        }
      } catch (RuntimeException e) {
        supervisor.stop();
        throw e;
      }
      return supervisor.pid();
    }
  }

  /* A child added to a supervisor of the tree. */
  private record Leaf(String supervisor, ChildSpec spec) {}
}
