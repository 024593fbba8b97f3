package org.heroesinwaiting.server.http;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP endpoints. {@code HeroesServer} asks each controller to declare its routes;
 * handlers are small methods that get their services from the controller's constructor.
 */
public interface Controller {

    /**
     * @param routes where to declare the routes ({@code routes.get("/api/v1/...", this::list)})
     */
    void routes(RoutesConfig routes);

    /**
     * @return the route templates under {@code /api/v1} that need no token ({@code /api/v1/auth/login})
     */
    default java.util.Set<String> publicRoutes() {
        return java.util.Set.of();
    }

    /**
     * @return the route templates under {@code /api/v1} that take a student's token instead of a
     *     facilitator's ({@code /api/v1/student/me}); every other non-public route takes a facilitator's
     */
    default java.util.Set<String> studentRoutes() {
        return java.util.Set.of();
    }

    /**
     * @return the route templates under {@code /api/v1} that take either a facilitator's or a
     *     student's token ({@code /api/v1/lessons})
     */
    default java.util.Set<String> sharedRoutes() {
        return java.util.Set.of();
    }
}
