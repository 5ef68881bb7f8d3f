package icapgraph.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A Neo4j Community server for the test suite, run by tests/neo4j_server/server.py.
 *
 * <p>Usage: {@code java -cp CLASSPATH icapgraph.testserver.TestNeo4j WORK_DIR [NEO4J_ADMIN_ARGS...]}
 * (WORK_DIR is a fresh folder of the parent's; everything of the server goes in it).
 *
 * <ul>
 *   <li>Bolt only (no HTTP), bound to 127.0.0.1 on a port the system picks; authentication on.
 *   <li>The password of user {@code neo4j} comes from the environment variable
 *       {@code ICAPGRAPH_NEO4J_PASSWORD}: never from the command line, where {@code ps} shows it.
 *   <li>With {@code NEO4J_ADMIN_ARGS} (e.g. {@code database import full --nodes=a.csv ... neo4j})
 *       it first runs that neo4j-admin command in-process into a fresh home under WORK_DIR
 *       (relative file names are read from the current directory), then serves the result.
 *   <li>When ready it prints one line {@code READY bolt://127.0.0.1:PORT} on stdout.
 *   <li>It stops when its standard input reaches end of file: the parent closes it to stop
 *       the server, and the operating system closes it when the parent dies, even by SIGKILL,
 *       so a server can never outlive the test run that started it. It then deletes WORK_DIR
 *       and stops at once, without a clean close (the data is thrown away anyway).
 * </ul>
 *
 * <p>Exit status: 0 after a stop, 2 bad usage, 3 the neo4j-admin command failed, 4 the
 * server failed to start.
 */
public final class TestNeo4j {
    static final String PASSWORD_ENV = "ICAPGRAPH_NEO4J_PASSWORD";
    /** Page cache for the whole corpus (about 65,000 nodes, 183,000 relationships). */
    static final long PAGE_CACHE_BYTES = 256L * 1024 * 1024;

    private TestNeo4j() {}

    public static void main(String[] args) throws Exception {
        // The harness and the driver log to stdout; keep stdout for the READY line alone.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        String password = System.getenv(PASSWORD_ENV);
        if (args.length < 1 || password == null || password.length() < 8) {
            System.err.println("usage: " + PASSWORD_ENV + "=<8+ characters> java "
                    + TestNeo4j.class.getName() + " WORK_DIR [NEO4J_ADMIN_ARGS...]");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(work.resolve("server"))
                .withDisabledServer()
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(GraphDatabaseSettings.pagecache_memory, PAGE_CACHE_BYTES)
                // No usage reports: the test machine talks to nothing beyond loopback.
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                .withConfig(GraphDatabaseInternalSettings.udc_network_enabled, false);
        if (args.length > 1) {
            Path home = runAdmin(work, java.util.Arrays.copyOfRange(args, 1, args.length));
            builder = builder.copyFrom(home);
        }
        Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (RuntimeException e) {
            System.err.println("Neo4j failed to start: " + e);
            System.exit(4);
            return;
        }
        // The harness creates user neo4j with the password "neo4j", to be changed at first
        // login; set ours through the embedded API (which needs no login).
        neo4j.databaseManagementService().database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
        out.println("READY " + neo4j.boltURI());
        waitForEndOfInput(System.in);
        // Everything this server holds is thrown away with its folder, so a clean close
        // (a checkpoint and the Bolt thread pools' grace periods: about 10 s) buys nothing.
        // The folder goes here too, in case the parent died without cleaning up.
        deleteTree(work);
        Runtime.getRuntime().halt(0);
    }

    /** Runs {@code neo4j-admin ARGS} in-process with a fresh home; returns that home. */
    private static Path runAdmin(Path work, String[] adminArgs) throws IOException {
        Path home = Files.createTempDirectory(work, "admin-home-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("neo4j.conf"), "");
        int status = AdminTool.execute(new ExecutionContext(home, conf), adminArgs);
        if (status != 0) {
            System.err.println("neo4j-admin " + String.join(" ", adminArgs)
                    + " failed with status " + status);
            System.exit(3);
        }
        return home;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: the parent removes the folder as well.
        }
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Anything the parent writes is ignored; only end of file matters.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone: stop as for end of file.
        }
    }
}
