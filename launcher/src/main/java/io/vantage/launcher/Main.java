package io.vantage.launcher;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code bin/vantage}: one entry point for local mode, the broker, the deployables, imports and benchmarks. */
public final class Main {
    private static final String USAGE = """
            usage: bin/vantage <command> [--help]

              local       everything on one machine: embedded Kafka (KRaft), collector, processor, API, tracker
              broker      a single-node KRaft Kafka broker for development (VANTAGE_KAFKA_BOOTSTRAP)
              collector   the collector against a Kafka cluster (scale by running more)
              processor   the processor with its dashboard API against a Kafka cluster (scale by running more)
              import      import access logs or NDJSON into a site
              bench       every speed and memory figure next to a ceiling measured in the same run (--quick: 3 min)

            environment: VANTAGE_PORT (8080), VANTAGE_HOST (127.0.0.1), VANTAGE_DATA_DIR (./data),
                         VANTAGE_KAFKA_BOOTSTRAP (127.0.0.1:9092; local mode runs its own broker and ignores it),
                         VANTAGE_ADMIN_TOKEN, VANTAGE_SECRET (the same on every collector), VANTAGE_PARTITIONS (4),
                         VANTAGE_STREAM_THREADS (1), VANTAGE_TRUSTED_PROXIES, VANTAGE_PEER_SECRET,
                         VANTAGE_RATE_PER_ADDRESS (200), VANTAGE_RATE_PER_SITE (20000), VANTAGE_PATH_PREFIX,
                         VANTAGE_KAFKA_PROPERTIES, VANTAGE_UPGRADE; README.md says what each does
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0]) || "help".equals(args[0])) {
            System.out.print(USAGE);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean help = Arrays.asList(rest).contains("--help");
        Map<String, String> env = System.getenv();
        try {
            switch (args[0]) {
                case "local" -> runNode(help, env, VantageNode.Role.LOCAL,
                        "bin/vantage local: runs Vantage on this machine with an embedded Kafka broker; data in VANTAGE_DATA_DIR.");
                case "collector" -> runNode(help, env, VantageNode.Role.COLLECTOR,
                        "bin/vantage collector: the collector; needs VANTAGE_KAFKA_BOOTSTRAP, VANTAGE_ADMIN_TOKEN, VANTAGE_SECRET.");
                case "processor" -> runNode(help, env, VantageNode.Role.PROCESSOR,
                        "bin/vantage processor: processor + dashboard API; needs VANTAGE_KAFKA_BOOTSTRAP, VANTAGE_ADMIN_TOKEN;"
                                + " VANTAGE_HOST:VANTAGE_PORT must be reachable by the other processors.");
                case "broker" -> runBroker(help, env);
                case "import" -> System.exit(ImportCommand.run(rest, env));
                case "bench" -> {
                    // bin/vantage runs the bench module for this command; this jar alone does not hold it.
                    System.err.println("bin/vantage bench runs the benchmarks (module bench); use bin/vantage, not this jar");
                    System.exit(2);
                }
                default -> {
                    System.err.print("unknown command '" + args[0] + "'\n\n" + USAGE);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void runNode(boolean help, Map<String, String> env, VantageNode.Role role, String text) throws InterruptedException {
        if (help) {
            System.out.println(text);
            System.out.print(USAGE.substring(USAGE.indexOf("environment:")));
            return;
        }
        VantageConfig config = VantageConfig.fromEnv(env);
        long started = System.nanoTime();
        VantageNode node = VantageNode.start(config, role);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        String base = "http://" + config.host() + ":" + node.port();
        System.out.println();
        System.out.println("Vantage " + role.name().toLowerCase(java.util.Locale.ROOT) + " is ready in " + tookMs + " ms");
        if (role == VantageNode.Role.COLLECTOR) {
            // The dashboard and the query API are the processors'; a collector takes beacons, imports and site admin.
            System.out.println("  beacons           " + base + "/collect  (and the peers' routes, docs/compatibility.md)");
            System.out.println("  admin             " + base + "/api/sites, " + base + "/api/import");
        } else {
            System.out.println("  dashboard & API   " + base + "/");
        }
        if (role != VantageNode.Role.PROCESSOR) {
            System.out.println("  tracker snippet   <script defer src=\"" + base + "/tracker.js\" data-site=\"YOUR_SITE_ID\"></script>");
            System.out.println("                    (on a page served from localhost, add data-localhost=\"true\")");
        }
        if (role == VantageNode.Role.LOCAL) {
            System.out.println("  demo site         " + base + "/demo/  (click around, then watch it on the dashboard)");
            System.out.println("  admin token       " + node.adminToken());
            System.out.println("  data              " + config.dataDir());
            System.out.println("  create a site     curl -X POST " + base + "/api/sites -H 'Authorization: Bearer " + node.adminToken()
                    + "' -d '{\"id\":\"example\",\"domain\":\"example.com\"}'");
        }
        System.out.println("Ctrl-C stops it; data is kept.");
        runUntilStopped(node);
    }

    /** Blocks until Ctrl-C (or SIGTERM), then closes {@code running} cleanly. */
    private static void runUntilStopped(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    private static void runBroker(boolean help, Map<String, String> env) throws InterruptedException {
        if (help) {
            System.out.println("bin/vantage broker: a single-node KRaft broker listening on VANTAGE_KAFKA_BOOTSTRAP (127.0.0.1:9092),"
                    + " log in VANTAGE_DATA_DIR/kafka.");
            return;
        }
        VantageConfig config = VantageConfig.fromEnv(env);
        String[] hostPort = config.kafkaBootstrap().split(":");
        if (hostPort.length != 2) {
            throw new IllegalArgumentException("VANTAGE_KAFKA_BOOTSTRAP must be host:port, got " + config.kafkaBootstrap());
        }
        EmbeddedBroker broker = EmbeddedBroker.start(config.dataDir().resolve("kafka"), hostPort[0], Integer.parseInt(hostPort[1]));
        System.out.println("Kafka broker ready at " + broker.bootstrap() + "; Ctrl-C stops it.");
        runUntilStopped(broker);
    }
}
