package org.heroesinwaiting.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link HeroesDatabaseExtension} for a {@code DataSource} or {@code Jdbi} logged in as
 * {@code heroes_owner} instead of the application login:
 *
 * <pre>{@code
 * @Test
 * void seedsAsTheOwner(@Owner Jdbi owner, Jdbi app) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Owner {
}
