package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Counts the connections taken from a data source, and the rollbacks asked of them: how many trips
 * to the pool a piece of work makes, and whether it threw a transaction away, asserted without
 * timing anything. The connections are the real ones.
 *
 * <pre>{@code
 * CountedConnections borrowed = new CountedConnections(app);
 * TransactionRunner transactions = new TransactionRunner(HeroesJdbi.create(borrowed.dataSource()));
 * // ... the work ...
 * assertThat(borrowed.taken()).isEqualTo(1);
 * }</pre>
 */
public final class CountedConnections {

    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final DataSource dataSource;

    /**
     * @param target where the connections come from
     */
    public CountedConnections(DataSource target) {
        requireNonNull(target, "target");
        this.dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, arguments) -> {
                    Object result = invoke(target, method, arguments);
                    if (method.getName().equals("getConnection")) {
                        taken.incrementAndGet();
                        return counting((Connection) result);
                    }
                    return result;
                });
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("rollback") && (arguments == null || arguments.length == 0)) {
                        rollbacks.incrementAndGet();
                    }
                    return invoke(connection, method, arguments);
                });
    }

    private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return the data source that counts: hand it to the code under test */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return connections taken since the start or the last {@link #reset} */
    public int taken() {
        return taken.get();
    }

    /** @return whole-transaction rollbacks asked of those connections since the start or the last {@link #reset} */
    public int rollbacks() {
        return rollbacks.get();
    }

    /** Counts from zero again. */
    public void reset() {
        taken.set(0);
        rollbacks.set(0);
    }
}
