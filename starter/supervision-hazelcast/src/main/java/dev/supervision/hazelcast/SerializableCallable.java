package dev.supervision.hazelcast;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Work that can be sent to another member to run there ({@link RemoteTasks}): a {@link Callable}
 * that is {@link Serializable}, so a lambda or method reference typed as one is serialized with
 * what it captures.
 *
 * {@snippet :
 * SerializableCallable<Integer> work = () -> 6 * 7; // a lambda typed as one is serializable
 * }
 *
 * <p>Everything the lambda captures is serialized with it and must be allowed by {@link
 * ClusterOptions#allowedClasses()}, as must the class the lambda is written in (the receiving
 * member recreates the lambda through it, so that class must be on its classpath too). A lambda
 * that captures {@code this} captures the whole enclosing object.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {}
