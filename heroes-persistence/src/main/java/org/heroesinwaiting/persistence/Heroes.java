package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.heroesinwaiting.core.activity.ClassroomReports;
import org.heroesinwaiting.core.activity.ClassroomSessions;
import org.heroesinwaiting.core.activity.StudentActivity;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.Administration;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomReports;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomSessions;
import org.heroesinwaiting.persistence.activity.DatabaseStudentActivity;
import org.heroesinwaiting.persistence.auth.DatabaseAdministration;
import org.heroesinwaiting.persistence.auth.DatabaseFacilitatorAccounts;
import org.heroesinwaiting.persistence.classroom.DatabaseClassrooms;
import org.heroesinwaiting.persistence.classroom.DatabaseStudentSessions;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.persistence.jobs.StandardJobs;
import org.jdbi.v3.core.Jdbi;

/**
 * The library, built with one call: every port a host uses, and the jobs it schedules, on one
 * configured {@link Jdbi} over the host's application login.
 *
 * <pre>{@code
 * DataSource app = PooledDataSources.forApplication(DatabaseSettings.of(url, "heroes_app", password));
 * try (Heroes heroes = Heroes.create(HeroesSettings.of(keyring), app, Clock.systemUTC())) {
 *     UUID id = heroes.accounts().register(new NewFacilitator(email, password, "Ms Rivera", "facilitator"), client);
 *     heroes.jobs().find("expire-sessions").orElseThrow().run();
 * }
 * }</pre>
 *
 * <p><b>Why the root lives here and modules add to it.</b> Every host needs persistence; the
 * modules above it ({@code heroes-retention} depends on persistence, so persistence cannot name its
 * classes) are optional. Each such module implements {@link HeroesModule}, found through
 * {@link ServiceLoader}: adding its jar adds its ports ({@link #port(Class)}) and its jobs to
 * {@link #jobs()}, and the root stays the one place things are built.
 *
 * <p>The root owns what it starts (the password-hashing threads, and whatever a module hands it)
 * and {@link #close() closes} it; the data source stays the host's. Row level security is
 * the application login's guard: pass {@link PooledDataSources#forApplication}'s pool, which
 * refuses a superuser or BYPASSRLS login on every connection.
 */
public final class Heroes implements AutoCloseable {

    private final HeroesSettings settings;
    private final DataSource dataSource;
    private final Clock clock;
    private final Jdbi jdbi;
    private final TransactionRunner transactions;
    private final HashingPool hashing;
    private final DatabaseFacilitatorAccounts accounts;
    private final DatabaseAdministration administration;
    private final DatabaseClassrooms classrooms;
    private final DatabaseStudentSessions students;
    private final DatabaseCurriculum curriculum;
    private final DatabaseClassroomSessions classroomSessions;
    private final DatabaseStudentActivity activity;
    private final DatabaseClassroomReports reports;
    private final Map<Class<?>, Object> ports = new LinkedHashMap<>();
    private final List<String> modules = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private JobCatalog jobs;
    private boolean closed;

    private Heroes(HeroesSettings settings, DataSource dataSource, Clock clock) {
        this.settings = requireNonNull(settings, "settings");
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.clock = requireNonNull(clock, "clock");
        this.jdbi = HeroesJdbi.create(dataSource);
        this.transactions = new TransactionRunner(jdbi);
        this.hashing = new HashingPool(settings.hashingThreads(), settings.hashingQueue(), settings.hashingBusyShare());
        resources.add(hashing);
        AccessTokens tokens = new AccessTokens(settings.keyring(), settings.issuer(), settings.accessTokenTtl(), clock);
        this.accounts = new DatabaseFacilitatorAccounts(transactions, settings.passwordHasher(), hashing, tokens,
                settings.accessTokenTtl(), settings.refreshTokenTtl());
        this.administration = new DatabaseAdministration(transactions, settings.passwordHasher(), hashing);
        this.classrooms = new DatabaseClassrooms(transactions, clock);
        this.students = new DatabaseStudentSessions(transactions, settings.studentTokenTtl());
        this.curriculum = new DatabaseCurriculum(transactions, clock);
        this.classroomSessions = new DatabaseClassroomSessions(transactions, clock);
        this.activity = new DatabaseStudentActivity(transactions, clock);
        this.reports = new DatabaseClassroomReports(transactions);
    }

    /**
     * Builds the library with every {@link HeroesModule} on the class path.
     *
     * @param settings the host's choices ({@link HeroesSettings#of})
     * @param application the application login ({@code heroes_app}); opened only when used
     * @param clock Java's "now", for what Java decides alone (tokens' times); the database's clock
     *     decides everything else
     * @return the library; close it when the host stops
     */
    public static Heroes create(HeroesSettings settings, DataSource application, Clock clock) {
        List<HeroesModule> found = new ArrayList<>();
        ServiceLoader.load(HeroesModule.class, Heroes.class.getClassLoader()).forEach(found::add);
        return create(settings, application, clock, found);
    }

    /**
     * @param settings the host's choices
     * @param application the application login
     * @param clock Java's "now"
     * @param modules the modules to install, in this order, instead of those on the class path
     * @return the library; close it when the host stops
     * @throws IllegalArgumentException when two modules offer one port or one job name
     */
    public static Heroes create(HeroesSettings settings, DataSource application, Clock clock, List<HeroesModule> modules) {
        Heroes heroes = new Heroes(settings, application, clock);
        try {
            List<Job> jobs = new ArrayList<>(StandardJobs.all(heroes.transactions));
            for (HeroesModule module : modules) {
                heroes.modules.add(module.name());
                module.install(heroes, heroes.contributions(module, jobs));
            }
            heroes.jobs = new JobCatalog(jobs);
            return heroes;
        } catch (RuntimeException e) {
            heroes.close();
            throw e;
        }
    }

    private HeroesModule.Contributions contributions(HeroesModule module, List<Job> jobs) {
        return new HeroesModule.Contributions() {
            @Override
            public <T> void port(Class<T> type, T port) {
                if (!type.isInstance(requireNonNull(port, "port"))) {
                    throw new IllegalArgumentException(module.name() + ": " + port.getClass().getName() + " is no " + type.getName());
                }
                if (ports.putIfAbsent(type, port) != null) {
                    throw new IllegalArgumentException(module.name() + ": a module already offers " + type.getName());
                }
            }

            @Override
            public void job(Job job) {
                jobs.add(requireNonNull(job, "job"));
            }

            @Override
            public void closeWithRoot(AutoCloseable resource) {
                resources.add(requireNonNull(resource, "resource"));
            }
        };
    }

    /** @return adults' accounts and sessions */
    public FacilitatorAccounts accounts() {
        return accounts;
    }

    /** @return what administrators do */
    public Administration administration() {
        return administration;
    }

    /** @return facilitators' classrooms */
    public Classrooms classrooms() {
        return classrooms;
    }

    /** @return students' joins and tokens */
    public StudentSessions students() {
        return students;
    }

    /** @return the lessons, their content and its import */
    public Curriculum curriculum() {
        return curriculum;
    }

    /** @return lessons taught in classrooms, and facilitators' notes */
    public ClassroomSessions classroomSessions() {
        return classroomSessions;
    }

    /** @return students' progress and feedback */
    public StudentActivity activity() {
        return activity;
    }

    /** @return a classroom's progress and feedback, in aggregate */
    public ClassroomReports reports() {
        return reports;
    }

    /** @return where password hashing runs: its threads, and the queue whose depth says how busy logins are */
    public HashingPool hashing() {
        return hashing;
    }

    /** @return every job, the persistence module's and every installed module's */
    public JobCatalog jobs() {
        return jobs;
    }

    /**
     * @param type a port a module offers ({@code Retention.class})
     * @param <T> its type
     * @return the port
     * @throws IllegalStateException when no installed module offers it
     */
    public <T> T port(Class<T> type) {
        Object port = ports.get(requireNonNull(type, "type"));
        if (port == null) {
            throw new IllegalStateException("no module offers " + type.getName() + "; installed: " + modules
                    + " (add the module's jar, or pass it to Heroes.create)");
        }
        return type.cast(port);
    }

    /**
     * @param type a port a module may offer ({@code BackupTasks.class}, which the backup module
     *     offers only when given its settings)
     * @param <T> its type
     * @return the port, when an installed module offers it
     */
    public <T> Optional<T> findPort(Class<T> type) {
        return Optional.ofNullable(ports.get(requireNonNull(type, "type"))).map(type::cast);
    }

    /** @return the installed modules' names, in the order they were installed */
    public List<String> modules() {
        return List.copyOf(modules);
    }

    /** @return the one configured Jdbi, for a module's or a host's own statements */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** @return units of work as an actor, on {@link #jdbi()} */
    public TransactionRunner transactions() {
        return transactions;
    }

    /** @return the settings it was built with */
    public HeroesSettings settings() {
        return settings;
    }

    /** @return the application login it was built on */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return Java's "now" */
    public Clock clock() {
        return clock;
    }

    /** Stops what the root started, newest first; the data source stays open. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the library failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
