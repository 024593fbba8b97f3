package org.heroesinwaiting.testkit;

// The README's example, kept compiling and passing: lines between the markers are copied there.
// README-EXAMPLE-START
import static org.assertj.core.api.Assertions.assertThat;

import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadmeExampleTest {
    @RegisterExtension static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void theApplicationReadsWhatTheOwnerSeeded(Jdbi app, @Owner Jdbi owner) {
        owner.useHandle(h -> h.execute("CREATE TABLE notes (body text); GRANT SELECT ON notes TO application_role; INSERT INTO notes VALUES ('hello')"));
        String body = app.withHandle(h -> h.select("SELECT body FROM notes").mapTo(String.class).one());
        assertThat(body).isEqualTo("hello");
    }
}
// README-EXAMPLE-END
