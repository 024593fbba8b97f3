package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A copy of the template is the same database as one built by bootstrap and migrate. */
class TemplateEquivalenceTest {

    private static final String CATALOG = """
            SELECT string_agg(entry, E'\\n' ORDER BY entry) FROM (
                SELECT 'schema ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || coalesce(nspacl::text, '') AS entry
                  FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                UNION ALL
                SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || pg_get_userbyid(c.relowner)
                       || ' ' || coalesce(c.relacl::text, '') || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                UNION ALL
                SELECT 'routine ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
                       || pg_get_userbyid(p.proowner) || ' ' || coalesce(p.proacl::text, '') || ' ' || md5(p.prosrc)
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                UNION ALL
                SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
                UNION ALL
                SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '')
                  FROM pg_policies
                UNION ALL
                SELECT 'migration ' || installed_rank || ' ' || coalesce(version, '') || ' ' || script || ' ' || coalesce(checksum::text, '')
                  FROM flyway_schema_history
            ) catalog
            """;

    @Test
    void aTemplateCopyHasTheCatalogOfAFreshMigration() throws SQLException {
        TestDatabases databases = TestDatabases.shared();
        try (TestDatabase copied = databases.create(); TestDatabase migrated = databases.createByMigrating()) {
            String copiedCatalog = TestSql.single(copied.dataSource(DatabaseLogin.OWNER), CATALOG);
            String migratedCatalog = TestSql.single(migrated.dataSource(DatabaseLogin.OWNER), CATALOG);

            assertThat(copiedCatalog).contains("routine app.set_context(", "extension pg_stat_statements", "migration ");
            assertThat(copiedCatalog).isEqualTo(migratedCatalog);
        }
    }
}
