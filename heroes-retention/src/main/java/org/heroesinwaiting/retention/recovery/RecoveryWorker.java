package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.actor.ActorContext;

/**
 * The server's recovery worker: an admin approves a request ({@code POST
 * /api/v1/admin/recoveries/{id}/approve}) that this installation can execute, and {@link
 * #runApproved()} (the {@code recoveries} job, every minute) executes the approved ones, oldest
 * approval first, as {@code heroes recover <id>} would: a table restore from a logical backup or to
 * a moment is applied to the live database; a point-in-time recovery is restored into {@code
 * <recoveries>/<id>} and left running on a spare port for the DBA to switch to (never in place: the
 * server runs on the live cluster). Each recovery records its own steps and outcome.
 */
public final class RecoveryWorker {

    private final RecoveryRequests requests;
    private final Optional<RestoreService> restores;
    private final Optional<PointInTimeRecovery> pointInTime;
    private final Path recoveries;

    /**
     * @param requests the requests
     * @param restores logical table restores, when a superuser is given
     * @param pointInTime the point-in-time kinds, when physical backups are on and a superuser is given
     * @param recoveries where point-in-time recoveries go, each in a folder named by its id
     */
    public RecoveryWorker(RecoveryRequests requests, Optional<RestoreService> restores, Optional<PointInTimeRecovery> pointInTime,
            Path recoveries) {
        this.requests = requireNonNull(requests, "requests");
        this.restores = requireNonNull(restores, "restores");
        this.pointInTime = requireNonNull(pointInTime, "pointInTime");
        this.recoveries = requireNonNull(recoveries, "recoveries");
    }

    /** What a run of the worker did: a line per recovery executed, and per recovery that failed. */
    public record Run(List<String> done, List<String> failed) {

        public Run {
            done = List.copyOf(done);
            failed = List.copyOf(failed);
        }
    }

    /**
     * Approves a request for the worker, once it is sure the worker can execute it.
     *
     * @param admin the admin approving it
     * @param id a request waiting to run
     * @return it, approved
     * @throws InvalidValueException when there is no such recovery
     * @throws RecoveryNotRunnableException when this installation cannot execute it (a full restore,
     *     which {@code heroes restore full} runs; a kind whose tools or superuser it lacks)
     * @throws RecoveryNotWaitingException when it runs or has ended
     */
    public RecoveryRequest approve(ActorContext admin, long id) {
        RecoveryRequest request = requests.find(id);
        if (!request.status().equals("requested")) {
            throw new RecoveryNotWaitingException("recovery " + id + " is not a request waiting to run (it is " + request.status() + ")");
        }
        refusal(request).ifPresent(why -> {
            throw new RecoveryNotRunnableException(why);
        });
        return requests.approve(admin, id);
    }

    /** @return the approved requests executed, each its own transaction of work; a failure does not stop the others */
    public Run runApproved() {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (long id : requests.approved()) {
            try {
                done.add(execute(requests.find(id)));
            } catch (RecoveryNotWaitingException e) {
                // taken meanwhile by heroes recover: its run records it
            } catch (HeroesException e) {
                failed.add("recovery " + id + ": " + e.getMessage());
            }
        }
        return new Run(done, failed);
    }

    /** @return why this installation cannot execute the request, if it cannot */
    public Optional<String> refusal(RecoveryRequest request) {
        return switch (request.kind()) {
            case "tables" -> restores.isPresent() ? Optional.empty()
                    : Optional.of("a table restore needs the cluster's superuser (HEROES_SUPERUSER), which this server lacks");
            case "tables-to-time", "point-in-time" -> pointInTime.isPresent() ? Optional.empty()
                    : Optional.of("a " + request.kind() + " recovery needs physical backups (pgBackRest) and the cluster's superuser, "
                            + "which this server lacks");
            case "full" -> Optional.of("recovery " + request.id() + " is a full restore into a new database: ./heroes restore full "
                    + "runs it, not the server");
            default -> Optional.of("recovery " + request.id() + " is a " + request.kind() + ", which no request executes");
        };
    }

    private String execute(RecoveryRequest request) {
        Optional<String> refused = refusal(request);
        if (refused.isPresent()) {
            throw new RecoveryNotRunnableException(refused.get());
        }
        return switch (request.kind()) {
            case "tables" -> {
                TableRestoreResult result = restores.orElseThrow().executeTables(request);
                yield "recovery " + request.id() + ": " + String.join(", ", request.tables()) + " from backup " + result.backupId()
                        + ", added " + result.inserted() + ", set back " + result.updated() + ", deleted " + result.deleted();
            }
            case "tables-to-time" -> {
                TableRestoreResult result = pointInTime.orElseThrow().executeTables(request);
                yield "recovery " + request.id() + ": " + String.join(", ", request.tables()) + " as at " + request.target().orElseThrow()
                        + ", added " + result.inserted() + ", set back " + result.updated() + ", deleted " + result.deleted();
            }
            default -> {
                PointInTimeResult result = pointInTime.orElseThrow().execute(request, recoveries.resolve(Long.toString(request.id())));
                yield "recovery " + request.id() + ": the cluster as at " + result.target() + " runs on localhost:" + result.cluster().port()
                        + " from " + result.cluster().dataDirectory();
            }
        };
    }
}
