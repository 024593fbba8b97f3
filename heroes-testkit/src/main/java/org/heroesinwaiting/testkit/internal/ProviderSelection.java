package org.heroesinwaiting.testkit.internal;

import java.util.function.BooleanSupplier;
import org.heroesinwaiting.testkit.Provider;
import org.heroesinwaiting.testkit.TestkitException;
import org.heroesinwaiting.testkit.TestkitSettings;

/** Picks the provider: the one asked for, else EXTERNAL when a URL is set, DOCKER when it runs, EMBEDDED. */
public final class ProviderSelection {

    private ProviderSelection() {
    }

    /**
     * @param settings what the user configured
     * @param dockerAvailable asked only when the choice depends on it
     * @return the provider to start
     * @throws TestkitException when the provider asked for cannot be had, with what to change
     */
    public static Provider choose(TestkitSettings settings, BooleanSupplier dockerAvailable) {
        Provider requested = settings.requestedProvider().orElse(null);
        if (requested == Provider.EXTERNAL || (requested == null && settings.url() != null)) {
            if (settings.url() == null) {
                throw new TestkitException("heroes.testkit.provider is external but heroes.testkit.url is not set "
                        + "(for example jdbc:postgresql://localhost:5432/postgres, with heroes.testkit.user and "
                        + "heroes.testkit.password of a superuser)");
            }
            return Provider.EXTERNAL;
        }
        if (requested == Provider.EMBEDDED) {
            return Provider.EMBEDDED;
        }
        boolean docker = dockerAvailable.getAsBoolean();
        if (requested == Provider.DOCKER && !docker) {
            throw new TestkitException("heroes.testkit.provider is docker but no Docker engine answers here; "
                    + "start one, or use heroes.testkit.provider=embedded (the default when Docker is absent)");
        }
        return docker ? Provider.DOCKER : Provider.EMBEDDED;
    }
}
