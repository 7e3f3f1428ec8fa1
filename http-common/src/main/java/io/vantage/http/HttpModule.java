package io.vantage.http;

import io.javalin.config.JavalinConfig;

/** A group of routes a module contributes to a Javalin server; local mode puts them all on one port. */
public interface HttpModule {
    void register(JavalinConfig config);

    /** The POST paths this module serves as {@link DirectRoutes} (ahead of Javalin's router, so not in its route table). */
    default java.util.List<String> directRoutes() {
        return java.util.List.of();
    }
}
