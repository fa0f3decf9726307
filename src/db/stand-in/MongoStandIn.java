import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * MongoDB wire-protocol stand-in for machines that cannot download a real mongod
 * (see DESIGN.md, "Databases in development, tests and CI").
 *
 * Usage: MongoStandIn [--port N] [--file PATH]
 *   --port N     port on 127.0.0.1, 0 (default) picks a free one
 *   --file PATH  H2 file backend (persistent); without it everything lives in memory
 *
 * The in-memory backend gets real non-unique indexes (see IndexedMemoryBackend): the library's
 * own are no-ops, which made every query on them a full collection scan.
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
                backend = new H2StandInBackend(file);
            } catch (RuntimeException e) {
                // Typically "The file is locked": another stand-in (npm start, npm run db) has it open.
                System.err.println("MongoStandIn: cannot open " + file + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        } else {
            backend = new IndexedMemoryBackend();
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

/**
 * mongo-java-server's memory backend with working non-unique indexes: the library answers
 * createIndexes for them with an EmptyIndex ("not yet implemented"), so every query on one scans
 * the whole collection. The index description it stores (and listIndexes returns) is unchanged.
 */
final class IndexedMemoryBackend extends MemoryBackend {
    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        return MissingFields.drop(command, Handshake.likeMongod(command, super.handleCommand(channel, databaseName, command, query)));
    }
}

final class H2StandInBackend extends H2Backend {
    H2StandInBackend(String fileName) {
        super(fileName);
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        return MissingFields.drop(command, Handshake.likeMongod(command, super.handleCommand(channel, databaseName, command, query)));
    }
}

/**
 * The library announces maxWriteBatchSize 1,000 (mongod: 100,000), so the driver split every bulk
 * write of more than 1,000 operations into several round trips that a real server takes in one.
 * It has no limit of its own; the driver still splits at maxMessageSizeBytes (48 MB).
 */
final class Handshake {
    static final int MONGOD_MAX_WRITE_BATCH_SIZE = 100_000;

    static Document likeMongod(String command, Document reply) {
        boolean handshake = "ismaster".equalsIgnoreCase(command) || "hello".equalsIgnoreCase(command);
        if (handshake && reply != null && reply.containsKey("maxWriteBatchSize")) {
            reply.put("maxWriteBatchSize", MONGOD_MAX_WRITE_BATCH_SIZE);
        }
        return reply;
    }
}

/**
 * The library's aggregation evaluates an object expression field by field and keeps a field whose
 * expression is missing (e.g. `{$map: {..., in: {email: "$$x.email"}}}` over a document without an
 * email) as its internal Missing marker, which the BSON encoder cannot write: the server closed
 * the connection. mongod leaves such a field out of an object (and writes null in an array), so
 * the documents of aggregate and getMore replies are cleaned that way before they are sent.
 */
final class MissingFields {
    static Document drop(String command, Document reply) {
        boolean cursorReply = "aggregate".equalsIgnoreCase(command) || "getMore".equalsIgnoreCase(command);
        if (cursorReply && reply != null && reply.get("cursor") instanceof Document cursor) {
            for (String batch : List.of("firstBatch", "nextBatch")) {
                if (cursor.get(batch) instanceof List<?> documents) {
                    documents.forEach(MissingFields::clean);
                }
            }
        }
        return reply;
    }

    @SuppressWarnings("unchecked")
    private static void clean(Object value) {
        if (value instanceof Document document) {
            document.values().removeIf(field -> field instanceof de.bwaldvogel.mongo.backend.Missing);
            document.values().forEach(MissingFields::clean);
        } else if (value instanceof List<?> list) {
            ListIterator<Object> items = ((List<Object>) list).listIterator();
            while (items.hasNext()) {
                Object item = items.next();
                if (item instanceof de.bwaldvogel.mongo.backend.Missing) {
                    items.set(null);
                } else {
                    clean(item);
                }
            }
        }
    }
}

final class IndexedMemoryDatabase extends MemoryDatabase {

    IndexedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
        // The super constructor already opens system collections through openOrCreateCollection,
        // so nothing here may depend on fields of this class.
        super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new IndexedMemoryCollection(this, collectionName, options, cursorRegistry);
    }

    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new PrefixIndex(indexName, keys);
    }

    /**
     * Aggregations never consult an index (the pipeline starts from queryAllAsStream()), so a
     * leading $match is handed to the collection, which then starts from its index candidates.
     */
    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver, Oplog oplog) {
        try {
            AggregateSource source = "aggregate".equalsIgnoreCase(command) ? AggregateSource.of(this, query.get(command), query.get("pipeline")) : null;
            if (source == null) {
                return super.handleCommand(channel, command, query, databaseResolver, oplog);
            }
            AggregateSource outer = AggregateSource.CURRENT.get();
            AggregateSource.CURRENT.set(source);
            try {
                return super.handleCommand(channel, command, query, databaseResolver, oplog);
            } finally {
                if (outer == null) {
                    AggregateSource.CURRENT.remove();
                } else {
                    AggregateSource.CURRENT.set(outer);
                }
            }
        } finally {
            // A long $in list (up to 100,000 values) is not kept on this thread beyond its command.
            LargeIn.forget();
        }
    }
}

/** The collection and leading $match of the aggregate command running on this thread. */
final class AggregateSource {
    static final ThreadLocal<AggregateSource> CURRENT = new ThreadLocal<>();

    final MongoDatabase database;
    final String collectionName;
    final Document match;
    /** Only the pipeline's own first read may use it, not a $lookup/$unionWith into the same collection. */
    boolean consumed;

    private AggregateSource(MongoDatabase database, String collectionName, Document match) {
        this.database = database;
        this.collectionName = collectionName;
        this.match = match;
    }

    static AggregateSource of(MongoDatabase database, Object collectionName, Object pipeline) {
        if (collectionName instanceof String name && pipeline instanceof List<?> stages && !stages.isEmpty()
            && stages.get(0) instanceof Document first && first.size() == 1 && first.get("$match") instanceof Document match) {
            return new AggregateSource(database, name, match);
        }
        return null;
    }
}

final class IndexedMemoryCollection extends MemoryCollection {

    IndexedMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
    }

    /** A PrefixIndex competes with its siblings in canHandle, so it must know which collection took it. */
    @Override
    public void addIndex(Index<Integer> index) {
        super.addIndex(index);
        // super ignores an index whose name already exists; only the one it keeps is attached.
        if (index instanceof PrefixIndex prefixIndex && getIndexes().stream().anyMatch(i -> i == index)) {
            prefixIndex.attach(this);
        }
    }

    /**
     * The one place that knows the exact position of a removed document (PrefixIndex.remove
     * answers null, as the library's EmptyIndex does, so removeDocument never trips over it).
     */
    @Override
    protected void removeDocument(Integer position) {
        super.removeDocument(position);
        for (Index<Integer> index : getIndexes()) {
            if (index instanceof PrefixIndex prefixIndex) {
                prefixIndex.forget(position);
            }
        }
    }

    /** A full scan honours sort {$natural: -1} by walking backwards; so must index candidates. */
    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document sort, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        Iterable<Integer> ordered = positions instanceof PrefixIndex.Positions ours && isNaturalDescending(sort) ? ours.reversed() : positions;
        return super.matchDocuments(query, ordered, sort, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The library's matcher tests $in by walking its list, so a filter with thousands of values
     * (which schedule keys or plan slots exist already) cost documents x values. A top-level $in of
     * Strings, ObjectIds and Booleans is checked through a hash set for documents whose value there
     * is one of those (their equality is equals()); every other document, and the rest of the
     * filter, still go to the library's matcher.
     */
    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        LargeIn in = LargeIn.of(query);
        if (in == null) {
            return super.documentMatchesQuery(document, query);
        }
        Object value = document.get(in.key);
        if (!LargeIn.hashable(value)) {
            return super.documentMatchesQuery(document, query);
        }
        return in.values.contains(value) && super.documentMatchesQuery(document, in.rest);
    }

    @Override
    public Stream<Document> queryAllAsStream() {
        AggregateSource source = AggregateSource.CURRENT.get();
        if (source != null && !source.consumed && source.database == getDatabase() && source.collectionName.equals(getCollectionName())) {
            source.consumed = true;
            List<Document> candidates = indexCandidates(source.match);
            if (candidates != null) {
                // Every document the $match can accept, in natural order; the $match stage still filters.
                return candidates.stream();
            }
        }
        return super.queryAllAsStream();
    }

    private synchronized List<Document> indexCandidates(Document match) {
        PrefixIndex index = PrefixIndex.best(getIndexes(), match);
        if (index == null) {
            return null;
        }
        List<Document> documents = new ArrayList<>();
        for (Integer position : index.getPositions(match)) {
            Document document = getDocument(position);
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }
}

/** A filter's top-level `key: {$in: [...]}` with many hashable values, and the filter without it. */
final class LargeIn {
    private static final int MIN_VALUES = 32;
    /** The last filter seen on this thread and what it gave (null: no large $in): one filter is matched against many documents. */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    final String key;
    final Set<Object> values;
    final Document rest;

    private LargeIn(String key, Set<Object> values, Document rest) {
        this.key = key;
        this.values = values;
        this.rest = rest;
    }

    static boolean hashable(Object value) {
        return value instanceof String || value instanceof ObjectId || value instanceof Boolean;
    }

    static void forget() {
        LAST.remove();
    }

    static LargeIn of(Document query) {
        Object[] last = LAST.get();
        if (last != null && last[0] == query) {
            return (LargeIn) last[1];
        }
        LargeIn found = find(query);
        LAST.set(new Object[] {query, found});
        return found;
    }

    private static LargeIn find(Document query) {
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("$") || key.contains(".") || !(entry.getValue() instanceof Document condition) || condition.size() != 1
                || !(condition.get("$in") instanceof Collection<?> list) || list.size() < MIN_VALUES || !list.stream().allMatch(LargeIn::hashable)) {
                continue;
            }
            Document rest = new Document();
            query.forEach((k, v) -> {
                if (!k.equals(key)) {
                    rest.put(k, v);
                }
            });
            return new LargeIn(key, new HashSet<>(list), rest);
        }
        return null;
    }
}

/**
 * A non-unique index that narrows queries pinning a leading run of its keys with plain equality.
 *
 * For keys k1..kn it keeps, per prefix length j, buckets from the values (k1..kj) to positions,
 * plus the positions it cannot bucket at that length. Only String, ObjectId and Boolean values
 * are bucketed (their equality in the query matcher is plain equals()), and null/missing share
 * one bucket (what a query for null matches, besides arrays). Anything else (numbers compare
 * across types, arrays match element-wise, dates, sub-documents, dotted paths through arrays) is
 * "unindexable" and always a candidate. getPositions therefore returns a superset of the matches;
 * the collection still applies the full query, sort, skip, limit and projection to them.
 */
final class PrefixIndex extends Index<Integer> {

    private static final Object NULL_OR_MISSING = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final Object UNINDEXABLE = new Object();

    private final String[] keyNames;
    private final String[][] paths;
    /** buckets.get(j - 1): values of k1..kj -> positions, in ascending (natural) order. */
    private final List<Map<List<Object>, TreeSet<Integer>>> buckets = new ArrayList<>();
    /** unindexable.get(j - 1): positions whose k1..kj cannot all be bucketed. */
    private final List<TreeSet<Integer>> unindexable = new ArrayList<>();
    /** position -> the leading bucketable values of its document (length = deepest bucket level). */
    private final Map<Integer, Object[]> entries = new HashMap<>();
    private volatile IndexedMemoryCollection owner;

    PrefixIndex(String name, List<IndexKey> keys) {
        // sparse = true as in the library's EmptyIndex: hasSameOptions (createIndexes on an existing
        // index) behaves as before, and removeDocument skips an index whose remove() answers null.
        super(name, keys, true);
        keyNames = new String[keys.size()];
        paths = new String[keys.size()][];
        for (int i = 0; i < keys.size(); i++) {
            keyNames[i] = keys.get(i).getKey();
            paths[i] = keyNames[i].split("\\.", -1);
            buckets.add(new HashMap<>());
            unindexable.add(new TreeSet<>());
        }
    }

    /** Ascending positions; a marker so the collection can reverse them for {$natural: -1}. */
    static final class Positions extends ArrayList<Integer> {
        private static final long serialVersionUID = 1L;

        Positions(int capacity) {
            super(capacity);
        }

        List<Integer> reversed() {
            List<Integer> copy = new ArrayList<>(this);
            Collections.reverse(copy);
            return copy;
        }
    }

    void attach(IndexedMemoryCollection collection) {
        owner = collection;
    }

    /** The PrefixIndex among indexes with the longest pinned prefix (ties: the first), or null. */
    static PrefixIndex best(List<Index<Integer>> indexes, Document query) {
        PrefixIndex best = null;
        int bestLength = 0;
        for (Index<Integer> index : indexes) {
            if (index instanceof PrefixIndex candidate) {
                int length = candidate.pinnedPrefix(query).size();
                if (length > bestLength) {
                    best = candidate;
                    bestLength = length;
                }
            }
        }
        return best;
    }

    /** k1..kj's values as pinned by top-level plain equalities in the query, j as large as possible. */
    private List<Object> pinnedPrefix(Document query) {
        List<Object> pinned = new ArrayList<>(paths.length);
        for (String key : keyNames) {
            if (!query.containsKey(key)) {
                break;
            }
            Object value = query.get(key);
            if (value == null) {
                pinned.add(NULL_OR_MISSING);
            } else if (isBucketable(value)) {
                pinned.add(value);
            } else {
                // An operator document, a regex, a list, a number...
                break;
            }
        }
        return pinned;
    }

    private static boolean isBucketable(Object value) {
        return value instanceof String || value instanceof ObjectId || value instanceof Boolean;
    }

    private Object bucketValue(Document document, String[] path) {
        Object current = document;
        for (String field : path) {
            if (current instanceof Document subdocument) {
                current = subdocument.get(field);
            } else {
                // null: the path ends early (matches a null query); a list or a scalar: leave it to the matcher.
                return current == null ? NULL_OR_MISSING : UNINDEXABLE;
            }
        }
        if (current == null) {
            return NULL_OR_MISSING;
        }
        return isBucketable(current) ? current : UNINDEXABLE;
    }

    private Object[] leadingValues(Document document) {
        Object[] values = new Object[paths.length];
        int depth = 0;
        while (depth < paths.length) {
            Object value = bucketValue(document, paths[depth]);
            if (value == UNINDEXABLE) {
                break;
            }
            values[depth++] = value;
        }
        return Arrays.copyOf(values, depth);
    }

    private static List<Object> prefix(Object[] values, int length) {
        // Arrays.asList, not List.of: List.of(Object[]) may bind to List.of(E) and wrap the array.
        return Arrays.asList(Arrays.copyOf(values, length));
    }

    private void link(Integer position, Object[] values) {
        for (int j = 1; j <= paths.length; j++) {
            if (j <= values.length) {
                buckets.get(j - 1).computeIfAbsent(prefix(values, j), k -> new TreeSet<>()).add(position);
            } else {
                unindexable.get(j - 1).add(position);
            }
        }
    }

    private void unlink(Integer position, Object[] values) {
        for (int j = 1; j <= paths.length; j++) {
            if (j <= values.length) {
                Map<List<Object>, TreeSet<Integer>> level = buckets.get(j - 1);
                List<Object> key = prefix(values, j);
                TreeSet<Integer> bucket = level.get(key);
                if (bucket != null && bucket.remove(position) && bucket.isEmpty()) {
                    level.remove(key);
                }
            } else {
                unindexable.get(j - 1).remove(position);
            }
        }
    }

    synchronized void forget(Integer position) {
        Object[] values = entries.remove(position);
        if (values != null) {
            unlink(position, values);
        }
    }

    @Override
    public synchronized Integer getPosition(Document document) {
        // Not a unique index: the collection finds positions through its _id index.
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Integer> collection) {
        // never rejects a document
    }

    @Override
    public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
        forget(position); // the memory backend reuses the slots of removed documents
        Object[] values = leadingValues(document);
        entries.put(position, values);
        link(position, values);
    }

    @Override
    public synchronized Integer remove(Document document) {
        // The collection's removeDocument(Integer) calls forget() with the exact position; null
        // plus sparse = true makes the library skip this index here, as it does for EmptyIndex.
        return null;
    }

    /** True for the query's best PrefixIndex, unless an exact index of the library can take it. */
    @Override
    public synchronized boolean canHandle(Document query) {
        if (pinnedPrefix(query).isEmpty()) {
            return false;
        }
        IndexedMemoryCollection collection = owner;
        if (collection == null) {
            return false;
        }
        List<Index<Integer>> indexes = collection.getIndexes();
        for (Index<Integer> index : indexes) {
            // The library asks its indexes in order; let a later unique index answer exactly.
            if (!(index instanceof PrefixIndex) && index.canHandle(query)) {
                return false;
            }
        }
        return best(indexes, query) == this;
    }

    @Override
    public synchronized Iterable<Integer> getPositions(Document query) {
        List<Object> pinned = pinnedPrefix(query);
        int j = pinned.size();
        if (j == 0) {
            Positions all = new Positions(entries.size());
            all.addAll(new TreeSet<>(entries.keySet()));
            return all;
        }
        TreeSet<Integer> bucket = buckets.get(j - 1).get(pinned);
        TreeSet<Integer> rest = unindexable.get(j - 1);
        Positions positions = new Positions((bucket == null ? 0 : bucket.size()) + rest.size());
        // A fresh list in ascending order: a full scan's (natural) order, and safe to hold while
        // the caller updates or deletes the documents.
        Iterator<Integer> a = bucket == null ? Collections.emptyIterator() : bucket.iterator();
        Iterator<Integer> b = rest.iterator();
        Integer x = a.hasNext() ? a.next() : null;
        Integer y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            if (y == null || (x != null && x < y)) {
                positions.add(x);
                x = a.hasNext() ? a.next() : null;
            } else {
                positions.add(y);
                y = b.hasNext() ? b.next() : null;
            }
        }
        return positions;
    }

    @Override
    public synchronized long getCount() {
        return entries.size();
    }

    @Override
    public synchronized long getDataSize() {
        // A rough estimate: one reference per key and level per document.
        return (long) entries.size() * paths.length * 16;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {
        // never rejects a document
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, Integer position, MongoCollection<Integer> collection) {
        Object[] before = entries.get(position);
        Object[] after = leadingValues(newDocument);
        if (before != null && Arrays.equals(before, after)) {
            return;
        }
        if (before != null) {
            unlink(position, before);
        }
        entries.put(position, after);
        link(position, after);
    }

    @Override
    public synchronized void drop() {
        entries.clear();
        buckets.forEach(Map::clear);
        unindexable.forEach(TreeSet::clear);
        owner = null;
    }

    @Override
    public boolean isUnique() {
        return false;
    }
}
