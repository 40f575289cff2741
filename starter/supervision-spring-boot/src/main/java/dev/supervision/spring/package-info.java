/**
 * Supervision trees in Spring: the tree of configured supervisors ({@link
 * dev.supervision.spring.SupervisionTree}), supervised Spring beans ({@link
 * dev.supervision.spring.SupervisedChild}, {@link dev.supervision.spring.SupervisedChildSpec}) and
 * the tree that starts and stops with the application context.
 */
@NullMarked
package dev.supervision.spring;

import org.jspecify.annotations.NullMarked;
