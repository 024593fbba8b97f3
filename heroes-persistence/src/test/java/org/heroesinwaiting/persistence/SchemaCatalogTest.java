package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the catalog must say about every table and function, whatever later migrations add. */
class SchemaCatalogTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    /** Tables that hold nobody's data: the migration history and the scheduler's. */
    private static final List<String> SHARED_TABLES = List.of("flyway_schema_history", "scheduled_tasks", "job_runs");

    @Test
    void everyTableWithDataHasRowLevelSecurityEnabledAndForced(@Owner Jdbi owner) {
        List<String> unprotected = owner.withHandle(handle -> handle.createQuery("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                 ORDER BY 1""").mapTo(String.class).list());

        assertThat(unprotected).containsExactlyInAnyOrderElementsOf(SHARED_TABLES);
    }

    @Test
    void theApplicationLoginOwnsNothing(@Owner Jdbi owner) {
        long owned = owner.withHandle(handle -> handle.createQuery("""
                SELECT count(*) FROM pg_shdepend
                 WHERE refclassid = 'pg_authid'::regclass AND refobjid = 'heroes_app'::regrole AND deptype = 'o'""")
                .mapTo(Long.class).one());

        assertThat(owned).isZero();
    }

    @Test
    void everySecurityDefinerFunctionHasAFixedSearchPathAndBelongsToTheOwner(@Owner Jdbi owner) {
        List<String> definers = owner.withHandle(handle -> handle.createQuery("""
                SELECT n.nspname || '.' || p.proname || ' ' || pg_get_userbyid(p.proowner) || ' '
                       || coalesce((SELECT c FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'), 'no search_path')
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.prosecdef AND n.nspname IN ('app', 'public') ORDER BY 1""").mapTo(String.class).list());

        assertThat(definers).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("heroes_owner search_path=pg_catalog, pg_temp"));
        assertThat(definers).extracting(line -> line.split(" ")[0]).contains(
                "app.find_login", "app.find_session_by_refresh_hash", "app.find_student_session", "app.find_classroom_by_code",
                "app.ensure_audit_partitions", "app.audit_row", "app.expire_sessions");
    }

    @Test
    void onlyTheApplicationMayCallThePreAuthenticationLookups(@Owner Jdbi owner) {
        List<String> callers = owner.withHandle(handle -> handle.createQuery("""
                SELECT DISTINCT r.rolname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
                       pg_roles r
                 WHERE n.nspname = 'app' AND p.proname IN ('find_login', 'find_session_by_refresh_hash',
                                                           'find_student_session', 'find_classroom_by_code')
                   AND r.rolname IN ('application_role', 'readonly_role', 'analytics_role', 'backup_role', 'heroes_app',
                                     'heroes_readonly', 'heroes_analytics')
                   AND has_function_privilege(r.oid, p.oid, 'EXECUTE') ORDER BY 1""").mapTo(String.class).list());

        assertThat(callers).containsExactly("application_role", "heroes_app");
    }

    @Test
    void everyForeignKeyHasAnIndexThatStartsWithIt(@Owner Jdbi owner) {
        List<String> unindexed = owner.withHandle(handle -> handle.createQuery("""
                SELECT c.conrelid::regclass || ' (' || array_to_string(ARRAY(
                           SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k), ', ') || ')'
                  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                 WHERE c.contype = 'f' AND n.nspname = 'public'
                   AND NOT EXISTS (SELECT 1 FROM pg_index i
                                    WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
                                      AND (i.indkey::int2[])[0 : cardinality(c.conkey) - 1] @> c.conkey
                                      AND c.conkey @> (i.indkey::int2[])[0 : cardinality(c.conkey) - 1])
                 ORDER BY 1""").mapTo(String.class).list());

        assertThat(unindexed).isEmpty();
    }

    @Test
    void theGuidesNamedIndexesExistAndTheUniqueOnesAreTheConstraintsOwn(@Owner Jdbi owner) {
        List<String> indexes = owner.withHandle(handle -> handle.createQuery("""
                SELECT i.relname || ' ' || coalesce(c.contype::text, '-')
                  FROM pg_class i LEFT JOIN pg_constraint c ON c.conindid = i.oid
                 WHERE i.relkind = 'i' AND i.relname LIKE 'idx\\_%' ORDER BY 1""").mapTo(String.class).list());

        assertThat(indexes).containsExactly(
                "idx_classrooms_code u",
                "idx_facilitator_sessions_token u",
                "idx_facilitators_email u",
                "idx_lesson_content_lesson -",
                "idx_lesson_content_order -",
                "idx_student_feedback_lesson -",
                "idx_student_feedback_submitted -");
    }
}
