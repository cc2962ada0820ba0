/**
 * The command-line options that several commands share, each defined once as a picocli mixin: one name, one
 * meaning, one default and one validation (at parse time, so a bad value fails before anything is created)
 * in every command that takes it. {@link org.rankfold.tools.options.Suggestions} adds "did you mean" to
 * mistyped commands and options.
 */
package org.rankfold.tools.options;
