package org.heroesinwaiting.server.http;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP endpoints. {@code HeroesServer} asks each controller to declare its routes;
 * handlers are small methods that get their services from the controller's constructor. Every
 * route under {@code /api/v1} declares who may call it with {@link Access}.
 */
public interface Controller {

    /**
     * @param routes where to declare the routes ({@code routes.get("/api/v1/...", this::list, Access.FACILITATOR)})
     */
    void routes(RoutesConfig routes);
}
