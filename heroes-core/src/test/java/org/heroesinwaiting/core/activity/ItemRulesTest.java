package org.heroesinwaiting.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A progress or feedback item's own rules live in core; the storage judges only what needs the lesson. */
class ItemRulesTest {

    private final Instant now = Instant.now();

    @Test
    void aProgressItemNamesItsFirstProblem() {
        UUID content = UUID.randomUUID();
        assertThat(new ProgressItem("k", 1, content, ProgressStatus.COMPLETED, 60, now).problem(now)).isEmpty();
        assertThat(new ProgressItem(" ", 1, content, ProgressStatus.STARTED, 60, now).problem(now))
                .contains("idempotency_key must have 1 to 100 characters");
        assertThat(new ProgressItem("k", 13, content, ProgressStatus.STARTED, 60, now).problem(now)).contains("lesson_number must be 1 to 12");
        assertThat(new ProgressItem("k", 1, null, ProgressStatus.STARTED, 60, now).problem(now)).contains("content_id is required");
        assertThat(new ProgressItem("k", 1, content, null, 60, now).problem(now)).contains("status must be started or completed");
        assertThat(new ProgressItem("k", 1, content, ProgressStatus.STARTED, 86_401, now).problem(now))
                .contains("time_spent_seconds must be 0 to 86400");
        assertThat(new ProgressItem("k", 1, content, ProgressStatus.STARTED, null, now.plus(Duration.ofHours(25))).problem(now))
                .contains("client_timestamp is more than a day in the future");
        assertThat(new ProgressItem("k", 1, content, ProgressStatus.STARTED, null, now.plus(Duration.ofHours(23))).problem(now)).isEmpty();
    }

    @Test
    void aFeedbackItemNamesItsFirstProblem() {
        assertThat(new FeedbackItem("k", 1, null, 5, "calm", Map.of(), now).problem(now)).isEmpty();
        assertThat(new FeedbackItem("k", 1, null, 0, "calm", Map.of(), now).problem(now)).contains("rating must be 1 to 5");
        assertThat(new FeedbackItem("k", 1, null, 3, "furious", Map.of(), now).problem(now))
                .contains("mood must be one of happy, calm, unsure, sad, upset");
        assertThat(new FeedbackItem("k", 1, null, 3, "calm", null, now).problem(now)).contains("answers is required (an object, possibly empty)");
        assertThat(new FeedbackItem("k", 1, null, 3, "calm", Map.of(), null).problem(now)).contains("client_timestamp is required");
    }

    @Test
    void statusesHaveTheirWireNames() {
        assertThat(ProgressStatus.parse("completed")).isEqualTo(ProgressStatus.COMPLETED);
        assertThatThrownBy(() -> ProgressStatus.parse("finished")).hasMessage("status must be started or completed");
        assertThat(ItemStatus.DUPLICATE.wire()).isEqualTo("duplicate");
    }
}
