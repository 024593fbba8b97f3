package org.heroesinwaiting.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds DESIGN.md section 2 on the main classes of every module this one sees (all but bench),
 * and proves on a fixture of deliberate violations that each kind of rule can fail.
 */
class ArchitectureTest {

    private static final String ROOT = "org.heroesinwaiting";
    private static final String FIXTURE_ROOT = "org.heroesinwaiting.server.archfixture";

    private static JavaClasses production;

    @BeforeAll
    static void importTheModules() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theImportSeesTheModulesThisOneDependsOn() {
        assertThat(production.stream().map(c -> c.getPackageName()).distinct())
                .contains("org.heroesinwaiting.core", "org.heroesinwaiting.sql", "org.heroesinwaiting.testkit",
                        "org.heroesinwaiting.testkit.internal");
        assertThat(production.stream().map(c -> c.getName()))
                .noneMatch(name -> name.startsWith(FIXTURE_ROOT));
    }

    @Test
    void everyModuleUsesOnlyTheModulesItMay() {
        ModuleRules.moduleDependencies(ROOT, production).forEach(rule -> rule.check(production));
    }

    @Test
    void frameworksStayInTheirModules() {
        ModuleRules.libraries(ROOT, production).forEach(rule -> rule.check(production));
    }

    @Test
    void internalPackagesArePrivateToTheirModule() {
        ModuleRules.internalPackages(ROOT, production).forEach(rule -> rule.check(production));
    }

    @Test
    void featurePackagesOfAModuleHaveNoCycle() {
        ModuleRules.featureCycles(ROOT, production).forEach(rule -> rule.check(production));
    }

    /**
     * Storage statements live in SqlObject DAOs; Jdbi's fluent API is kept only where a benchmark
     * showed it pays: the actor context ({@code TransactionRunner}), the session check and the
     * {@code /me} profile ({@code DatabaseFacilitatorAccounts}, AuthBench), and a student's join and
     * token check ({@code DatabaseStudentSessions}, JoinBench), each with its reason in the code.
     */
    @Test
    void storageStatementsLiveInDaos() {
        ModuleRules.storageInDaos(ROOT).check(production);
    }

    @Test
    void everyExceptionIsAHeroesException() {
        ModuleRules.exceptions(ROOT).check(production);
    }

    @Test
    void theRulesCatchEachKindOfViolation() {
        JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE_ROOT);

        List<String> violations = ModuleRules.all(FIXTURE_ROOT, fixture).stream()
                .map(rule -> rule.evaluate(fixture))
                .filter(EvaluationResult::hasViolation)
                .map(result -> result.getFailureReport().toString())
                .collect(Collectors.toList());

        assertThat(String.join("\n", violations))
                .contains("core uses only no other module")
                .contains("archfixture.core.UsesServer")
                .contains("org.flywaydb.. is used only in [sql]")
                .contains("archfixture.persistence.UsesFlyway")
                .contains("testkit.internal is private to testkit")
                .contains("archfixture.server.UsesTestkitInternals");
        // UsesTestkitInternals breaks two rules: server may not use testkit at all.
        assertThat(String.join("\n", violations)).contains("server uses only");
        assertThat(String.join("\n", violations))
                .contains("the feature packages of server have no cycle")
                .contains("every exception extends HeroesException")
                .contains("archfixture.core.PlainFailure")
                .contains("storage statements live in SqlObject DAOs")
                .contains("archfixture.persistence.UsesFluentStorage");
        assertThat(violations).hasSize(7);
    }
}
