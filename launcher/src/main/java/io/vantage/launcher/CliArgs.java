package io.vantage.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options and positional arguments of a subcommand. */
record CliArgs(Map<String, String> options, List<String> positional) {
    static CliArgs parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    options.put(name, "true");
                } else {
                    options.put(name, args[++i]);
                }
            } else {
                positional.add(args[i]);
            }
        }
        return new CliArgs(options, positional);
    }

    String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** The admin token: {@code --token}, VANTAGE_ADMIN_TOKEN, or the one local mode keeps in the data directory. */
    String token(Map<String, String> env) throws java.io.IOException {
        String token = options.getOrDefault("token", env.get("VANTAGE_ADMIN_TOKEN"));
        if (token == null) {
            Path kept = VantageConfig.fromEnv(env).dataDir().resolve("admin-token");
            if (Files.exists(kept)) {
                token = Files.readString(kept, StandardCharsets.UTF_8).strip();
            }
        }
        if (token == null) {
            throw new IllegalArgumentException("no admin token: pass --token or set VANTAGE_ADMIN_TOKEN");
        }
        return token;
    }
}
