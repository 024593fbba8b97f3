package org.heroesinwaiting.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The module boundaries of DESIGN.md section 2 as ArchUnit rules, for the modules under a root
 * package ({@code org.heroesinwaiting} in production; a fixture root in the test that proves the
 * rules catch violations).
 */
final class ModuleRules {

    /** Each module and the modules it may use. Nobody may use server or bench. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("core", Set.of());
        ALLOWED.put("sql", Set.of("core"));
        ALLOWED.put("persistence", Set.of("core", "sql"));
        ALLOWED.put("retention", Set.of("core", "persistence"));
        ALLOWED.put("testkit", Set.of("core", "sql"));
        ALLOWED.put("server", Set.of("core", "sql", "persistence", "retention"));
        ALLOWED.put("bench", Set.of("core", "sql", "persistence", "retention", "testkit"));
    }

    /** Third-party packages and the only modules that may use them. */
    static final Map<String, Set<String>> LIBRARIES = Map.of(
            "io.javalin..", Set.of("server"),
            "org.flywaydb..", Set.of("sql"),
            "org.junit..", Set.of("testkit"),
            "org.testcontainers..", Set.of("testkit"),
            "io.zonky..", Set.of("testkit", "server"),
            "org.jdbi..", Set.of("persistence", "retention", "testkit", "bench"));

    private ModuleRules() {
    }

    static List<ArchRule> all(String root, JavaClasses classes) {
        List<ArchRule> rules = new ArrayList<>();
        rules.addAll(moduleDependencies(root, classes));
        rules.addAll(libraries(root, classes));
        rules.addAll(internalPackages(root, classes));
        rules.addAll(featureCycles(root, classes));
        rules.add(exceptions(root));
        rules.add(storageInDaos(root));
        return rules;
    }

    /**
     * Storage statements live in SqlObject DAOs; Jdbi's fluent API only where a benchmark showed it
     * pays (each with its reason in the code).
     */
    static ArchRule storageInDaos(String root) {
        return noClasses().that().resideInAPackage(root + ".persistence..")
                .and().doNotHaveSimpleName("TransactionRunner").and().doNotHaveSimpleName("DatabaseFacilitatorAccounts")
                .and().doNotHaveSimpleName("DatabaseStudentSessions")
                .should().callMethod(Handle.class, "createQuery", String.class)
                .orShould().callMethod(Handle.class, "createUpdate", String.class)
                .orShould().callMethod(Handle.class, "prepareBatch", String.class)
                .orShould().callMethod(Handle.class, "execute", String.class, Object[].class)
                .as("storage statements live in SqlObject DAOs");
    }

    /**
     * @return whether the module has no class to check yet (a rule about it may then be empty;
     *     once it has classes, an empty rule would mean the rule checks nothing)
     */
    private static boolean empty(JavaClasses classes, String root, String module) {
        String prefix = root + "." + module + ".";
        return classes.stream().noneMatch(c -> c.getPackageName().equals(root + "." + module) || c.getPackageName().startsWith(prefix));
    }

    /** No cycle between the feature packages of one module ({@code server.auth} and {@code server.http}, say). */
    static List<ArchRule> featureCycles(String root, JavaClasses classes) {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : ALLOWED.keySet()) {
            String prefix = root + "." + module + ".";
            rules.add(SlicesRuleDefinition.slices().matching(root + "." + module + ".(*)..").should().beFreeOfCycles()
                    .as("the feature packages of " + module + " have no cycle")
                    // a module whose classes are all in its root package has no feature package yet
                    .allowEmptyShould(classes.stream().noneMatch(c -> c.getPackageName().startsWith(prefix))));
        }
        return rules;
    }

    /** Every exception the project throws on purpose is a HeroesException, so a host catches the family in one place. */
    static ArchRule exceptions(String root) {
        return classes().that().resideInAPackage(root + "..").and().areAssignableTo(Throwable.class)
                .and().doNotHaveFullyQualifiedName("org.heroesinwaiting.core.HeroesException")
                .should().beAssignableTo("org.heroesinwaiting.core.HeroesException")
                .as("every exception extends HeroesException");
    }

    static List<ArchRule> moduleDependencies(String root, JavaClasses classes) {
        List<ArchRule> rules = new ArrayList<>();
        ALLOWED.forEach((module, allowed) -> {
            String[] forbidden = ALLOWED.keySet().stream()
                    .filter(other -> !other.equals(module) && !allowed.contains(other))
                    .map(other -> root + "." + other + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(root + "." + module + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(module + " uses only " + (allowed.isEmpty() ? "no other module" : allowed))
                    .allowEmptyShould(empty(classes, root, module)));
        });
        return rules;
    }

    static List<ArchRule> libraries(String root, JavaClasses classes) {
        List<ArchRule> rules = new ArrayList<>();
        LIBRARIES.forEach((library, users) -> {
            String[] others = ALLOWED.keySet().stream()
                    .filter(module -> !users.contains(module))
                    .map(module -> root + "." + module + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAnyPackage(others)
                    .should().dependOnClassesThat().resideInAPackage(library)
                    .as(library + " is used only in " + users)
                    .allowEmptyShould(ALLOWED.keySet().stream().filter(module -> !users.contains(module))
                            .allMatch(module -> empty(classes, root, module))));
        });
        return rules;
    }

    static List<ArchRule> internalPackages(String root, JavaClasses classes) {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : ALLOWED.keySet()) {
            rules.add(noClasses().that().resideOutsideOfPackage(root + "." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + "." + module + ".internal..")
                    .as(module + ".internal is private to " + module)
                    // a rule of what nobody may do: empty until some other module exists
                    .allowEmptyShould(ALLOWED.keySet().stream().filter(other -> !other.equals(module))
                            .allMatch(other -> empty(classes, root, other))));
        }
        return rules;
    }
}
