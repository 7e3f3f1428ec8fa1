package io.vantage.http;

import io.javalin.config.JavalinConfig;

/** A group of routes a module contributes to a Javalin server; local mode puts them all on one port. */
public interface HttpModule {
    void register(JavalinConfig config);
}
