package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.heroesinwaiting.testkit.internal.DockerDetection;
import org.heroesinwaiting.testkit.internal.ProviderSelection;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {

    @Test
    void aUrlMeansTheExternalServerWithoutAskingDocker() {
        AtomicBoolean asked = new AtomicBoolean();
        TestkitSettings settings = new TestkitSettings(null, "jdbc:postgresql://db:5432/postgres", "admin", "pw");

        assertThat(ProviderSelection.choose(settings, () -> asked.getAndSet(true))).isEqualTo(Provider.EXTERNAL);
        assertThat(asked).isFalse();
    }

    @Test
    void withoutAUrlDockerIsPreferredWhenItRunsAndEmbeddedOtherwise() {
        assertThat(ProviderSelection.choose(TestkitSettings.automatic(), () -> true)).isEqualTo(Provider.DOCKER);
        assertThat(ProviderSelection.choose(TestkitSettings.automatic(), () -> false)).isEqualTo(Provider.EMBEDDED);
    }

    @Test
    void aForcedProviderWinsOverDetection() {
        TestkitSettings embedded = TestkitSettings.embedded();
        TestkitSettings docker = new TestkitSettings(Provider.DOCKER, "jdbc:postgresql://db/postgres", null, null);

        assertThat(ProviderSelection.choose(embedded, () -> true)).isEqualTo(Provider.EMBEDDED);
        assertThat(ProviderSelection.choose(docker, () -> true)).isEqualTo(Provider.DOCKER);
    }

    @Test
    void forcingDockerWhereNoEngineRunsSaysWhatToDo() {
        TestkitSettings docker = new TestkitSettings(Provider.DOCKER, null, null, null);

        assertThatThrownBy(() -> ProviderSelection.choose(docker, () -> false))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("no Docker engine answers here")
                .hasMessageContaining("heroes.testkit.provider=embedded");
    }

    @Test
    void forcingExternalWithoutAUrlSaysWhichPropertyIsMissing() {
        assertThatThrownBy(() -> ProviderSelection.choose(new TestkitSettings(Provider.EXTERNAL, null, null, null), () -> false))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("heroes.testkit.url is not set");
    }

    /** The real detection on this machine, and the fallback it leads to. */
    @Test
    void automaticChoiceFollowsTheRealDockerDetection() {
        boolean docker = DockerDetection.isDockerAvailable();

        assertThat(ProviderSelection.choose(TestkitSettings.automatic(), DockerDetection::isDockerAvailable))
                .isEqualTo(docker ? Provider.DOCKER : Provider.EMBEDDED);
        if (!docker) {
            assertThatThrownBy(() -> TestDatabases.start(new TestkitSettings(Provider.DOCKER, null, null, null)))
                    .isInstanceOf(TestkitException.class)
                    .hasMessageContaining("no Docker engine answers here");
        }
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() {
        Map<String, String> properties = Map.of("heroes.testkit.provider", "embedded", "heroes.testkit.user", "prop-user");
        Map<String, String> environment = Map.of("HEROES_TESTKIT_PROVIDER", "external", "HEROES_TESTKIT_USER", "env-user",
                "HEROES_TESTKIT_URL", "jdbc:postgresql://env/postgres", "HEROES_TESTKIT_PASSWORD", "secret");

        TestkitSettings settings = TestkitSettings.from(properties::get, environment::get);

        assertThat(settings).isEqualTo(new TestkitSettings(Provider.EMBEDDED, "jdbc:postgresql://env/postgres", "prop-user", "secret"));
        assertThat(settings.toString()).doesNotContain("secret");
    }

    @Test
    void anUnknownProviderIsRefusedWithTheChoices() {
        Map<String, String> properties = Map.of("heroes.testkit.provider", "kubernetes");

        assertThatThrownBy(() -> TestkitSettings.from(properties::get, key -> null))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("'kubernetes'")
                .hasMessageContaining("[external, docker, embedded]");
    }

    @Test
    void nothingConfiguredMeansAutomaticWithThePostgresSuperuser() {
        TestkitSettings settings = TestkitSettings.from(key -> null, key -> null);

        assertThat(settings.requestedProvider()).isEmpty();
        assertThat(settings.url()).isNull();
        assertThat(settings.user()).isEqualTo("postgres");
    }
}
