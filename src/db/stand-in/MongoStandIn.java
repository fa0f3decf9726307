import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * MongoDB wire-protocol stand-in for machines that cannot download a real mongod
 * (see DESIGN.md, "Databases in development, tests and CI").
 *
 * Usage: MongoStandIn [--port N] [--file PATH]
 *   --port N     port on 127.0.0.1, 0 (default) picks a free one
 *   --file PATH  H2 file backend (persistent); without it everything lives in memory
 *
 * Prints exactly one line, MONGODB_URI=mongodb://127.0.0.1:PORT, once it accepts connections.
 * Exits when stdin reaches end-of-file (the parent died or closed the pipe) or on SIGTERM/SIGINT.
 */
public final class MongoStandIn {

    /** The library reports wire version 8; MongoDB Node driver 7 refuses servers below 9. */
    private static final MongoVersion MONGODB_6_0 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(6, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 17;
        }
    };

    public static void main(String[] args) throws Exception {
        int port = 0;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(requireValue(args, ++i, "--port"));
                case "--file" -> file = requireValue(args, ++i, "--file");
                default -> usage("unknown argument: " + args[i]);
            }
        }

        MongoBackend backend;
        if (file != null) {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                backend = new H2Backend(file);
            } catch (RuntimeException e) {
                // Typically "The file is locked": another stand-in (npm start, npm run db) has it open.
                System.err.println("MongoStandIn: cannot open " + file + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        } else {
            backend = new MemoryBackend();
        }
        backend.version(MONGODB_6_0);

        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);

        // shutdown() closes the backend too, which flushes and closes the H2 store.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "stand-in-shutdown"));

        System.out.println("MONGODB_URI=mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        System.out.flush();

        Thread stdinWatch = new Thread(() -> {
            drain(System.in);
            System.exit(0);
        }, "stand-in-stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone as well
        }
    }

    private static String requireValue(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("MongoStandIn: " + problem);
        System.err.println("usage: MongoStandIn [--port N] [--file PATH]");
        System.exit(2);
    }
}
