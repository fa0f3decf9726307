import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
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
        if (IndexedMemoryCollection.EXAMINED_COMMAND.equals(command)) {
            MongoCollection<Integer> collection = query.get(command) instanceof String name ? resolveCollection(name, false) : null;
            long examined = collection instanceof IndexedMemoryCollection ours ? ours.takeExamined() : 0;
            Document reply = new Document("examined", examined);
            reply.put("ok", 1.0);
            return reply;
        }
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
    /**
     * {standInExamined: "<collection>"} answers how many documents the collection's queries (finds,
     * counts, updates, deletes, $lookup) and aggregations tested against a filter since the last
     * time it was asked, and starts again from zero: how tests see that an index narrowed a query.
     */
    static final String EXAMINED_COMMAND = "standInExamined";

    private final java.util.concurrent.atomic.AtomicLong examined = new java.util.concurrent.atomic.AtomicLong();

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
    long takeExamined() {
        return examined.getAndSet(0);
    }

    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        examined.incrementAndGet();
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
                return candidates.stream().peek(document -> examined.incrementAndGet());
            }
        }
        return super.queryAllAsStream().peek(document -> examined.incrementAndGet());
    }

    /** How the PrefixIndexes narrow the query, or null: a scan (see Plan). */
    Plan plan(Document query) {
        return Plan.of(getIndexes(), query);
    }

    private synchronized List<Document> indexCandidates(Document match) {
        Plan plan = plan(match);
        if (plan == null) {
            return null;
        }
        List<Document> documents = new ArrayList<>();
        for (Integer position : plan.positions()) {
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
 * A non-unique index that narrows queries the way a MongoDB index does, always to a superset of the
 * matches: the collection still applies the full query, sort, skip, limit and projection to the
 * candidates, which come in ascending position (natural) order.
 *
 * For keys k1..kn it keeps, per prefix length j, buckets from the values (k1..kj) to positions,
 * plus the positions it cannot bucket at that length. Bucketed are the values whose equality in
 * the query matcher is equals() after its own number normalisation: String, ObjectId, Boolean,
 * and Integer/Long/Double (normalised as the matcher does, so 5, 5L and 5.0 share a bucket);
 * null/missing share one bucket (what a query for null matches, besides arrays). Anything else
 * (arrays match element-wise, dates, sub-documents, Decimal128, dotted paths through arrays) is
 * "unindexable" at that length and always a candidate.
 *
 * A query narrows by pinning k1..kj with equality or an $in of such values (the union of their
 * buckets), then optionally a range ($gt/$gte/$lt/$lte) on k(j+1): each bucket keeps the values
 * of its next key in order, for the types whose order is unambiguous (dates; strings without
 * surrogates, whose UTF-16 order is their code-point order as on mongod). The matcher compares a
 * range only within one type (a Date bound never matches a String), so the range takes that
 * type's values within the bounds plus every value of the bucket it could not order. A top-level
 * $or is the union of its branches, each with the rest of the query (see Plan).
 */
final class PrefixIndex extends Index<Integer> {

    static final Object NULL_OR_MISSING = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final Object UNINDEXABLE = new Object();
    /** An $in on several keys multiplies their values; beyond this many prefixes pinning stops. */
    private static final int MAX_PREFIXES = 1_000;
    /** Operators that combine with a range in one condition as a plain conjunction (so any bound may narrow). */
    private static final Set<String> CONJUNCTIVE = Set.of("$gt", "$gte", "$lt", "$lte", "$eq", "$ne", "$in", "$nin", "$exists", "$not", "$type");

    private final String[] keyNames;
    private final String[][] paths;
    /** buckets.get(j - 1): values of k1..kj -> positions, in ascending (natural) order. */
    private final List<Map<List<Object>, TreeSet<Integer>>> buckets = new ArrayList<>();
    /** unindexable.get(j - 1): positions whose k1..kj cannot all be bucketed. */
    private final List<TreeSet<Integer>> unindexable = new ArrayList<>();
    /** ranges.get(j), j < n: values of k1..kj -> the values of k(j+1) among that bucket's documents, ordered. */
    private final List<Map<List<Object>, Ordered>> ranges = new ArrayList<>();
    private final Map<Integer, Entry> entries = new HashMap<>();
    private volatile IndexedMemoryCollection owner;

    /** A document's leading bucketable values (length d = its deepest bucket level) and the order key of k(d+1) (null: unordered). */
    private record Entry(Object[] values, Object next) {
        boolean sameAs(Entry other) {
            return Arrays.equals(values, other.values) && java.util.Objects.equals(next, other.next);
        }
    }

    /** One bucket's values of its next key: ordered per type, and the positions whose value has no usable order. */
    private static final class Ordered {
        final Map<Class<?>, TreeMap<Object, TreeSet<Integer>>> byType = new HashMap<>();
        final TreeSet<Integer> unordered = new TreeSet<>();

        void add(Object key, Integer position) {
            if (key == null) {
                unordered.add(position);
            } else {
                byType.computeIfAbsent(key.getClass(), type -> new TreeMap<>()).computeIfAbsent(key, k -> new TreeSet<>()).add(position);
            }
        }

        void remove(Object key, Integer position) {
            if (key == null) {
                unordered.remove(position);
                return;
            }
            TreeMap<Object, TreeSet<Integer>> values = byType.get(key.getClass());
            TreeSet<Integer> positions = values == null ? null : values.get(key);
            if (positions != null && positions.remove(position) && positions.isEmpty()) {
                values.remove(key);
                if (values.isEmpty()) {
                    byType.remove(key.getClass());
                }
            }
        }

        boolean isEmpty() {
            return byType.isEmpty() && unordered.isEmpty();
        }

        /** The position sets that hold every value within the range, and the unordered ones. */
        void collect(Range range, List<Collection<Integer>> out) {
            out.add(unordered);
            TreeMap<Object, TreeSet<Integer>> values = byType.get(range.type);
            if (values != null && !range.empty) {
                out.addAll(range.of(values).values());
            }
        }
    }

    /** The bounds a condition puts on one key, of one orderable type (the others cannot match it). */
    static final class Range {
        final Class<?> type;
        Comparable<Object> low;
        boolean lowInclusive;
        Comparable<Object> high;
        boolean highInclusive;
        boolean empty;

        private Range(Class<?> type) {
            this.type = type;
        }

        /** The range of a condition such as {$gte: a, $lt: b, $not: ...}, or null when it puts none. */
        @SuppressWarnings("unchecked")
        static Range of(Object condition) {
            if (!(condition instanceof Document operators) || operators.isEmpty() || !CONJUNCTIVE.containsAll(operators.keySet())) {
                return null;
            }
            Range range = null;
            for (Map.Entry<String, Object> operator : operators.entrySet()) {
                Object bound = orderKey(operator.getValue());
                boolean isRange = operator.getKey().startsWith("$gt") || operator.getKey().startsWith("$lt");
                if (!isRange || bound == null || (range != null && range.type != bound.getClass())) {
                    continue;
                }
                if (range == null) {
                    range = new Range(bound.getClass());
                }
                Comparable<Object> value = (Comparable<Object>) bound;
                boolean inclusive = operator.getKey().endsWith("e");
                if (operator.getKey().startsWith("$gt")) {
                    int c = range.low == null ? 1 : value.compareTo(range.low);
                    if (c > 0 || (c == 0 && !inclusive)) {
                        range.low = value;
                        range.lowInclusive = inclusive;
                    }
                } else {
                    int c = range.high == null ? -1 : value.compareTo(range.high);
                    if (c < 0 || (c == 0 && !inclusive)) {
                        range.high = value;
                        range.highInclusive = inclusive;
                    }
                }
            }
            if (range != null && range.low != null && range.high != null) {
                int c = range.low.compareTo(range.high);
                range.empty = c > 0 || (c == 0 && !(range.lowInclusive && range.highInclusive));
            }
            return range;
        }

        NavigableMap<Object, TreeSet<Integer>> of(TreeMap<Object, TreeSet<Integer>> values) {
            NavigableMap<Object, TreeSet<Integer>> within = values;
            if (low != null) {
                within = within.tailMap(low, lowInclusive);
            }
            if (high != null) {
                within = within.headMap(high, highInclusive);
            }
            return within;
        }
    }

    /** What a query pins of this index: the values of k1..kj (each combination one prefix), then perhaps a range on k(j+1). */
    final class Shape {
        final List<List<Object>> prefixes;
        final int length;
        final Range range;

        private Shape(List<List<Object>> prefixes, int length, Range range) {
            this.prefixes = prefixes;
            this.length = length;
            this.range = range;
        }

        boolean narrows() {
            return length > 0 || range != null;
        }

        PrefixIndex index() {
            return PrefixIndex.this;
        }
    }

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
            ranges.add(new HashMap<>());
        }
    }

    /** Ascending positions; a marker so the collection can reverse them for {$natural: -1}. */
    static final class Positions extends ArrayList<Integer> {
        private static final long serialVersionUID = 1L;

        Positions(int capacity) {
            super(capacity);
        }

        /** The union of disjoint or overlapping position sets, ascending, each position once. */
        static Positions union(List<? extends Collection<Integer>> parts) {
            int size = 0;
            for (Collection<Integer> part : parts) {
                size += part.size();
            }
            int[] all = new int[size];
            int i = 0;
            for (Collection<Integer> part : parts) {
                for (Integer position : part) {
                    all[i++] = position;
                }
            }
            Arrays.sort(all);
            Positions positions = new Positions(size);
            for (int k = 0; k < size; k++) {
                if (k == 0 || all[k] != all[k - 1]) {
                    positions.add(all[k]);
                }
            }
            return positions;
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

    /** The equality key of a query or document value, or null when it has none (see the class comment). */
    static Object bucketKey(Object value) {
        if (value instanceof String || value instanceof ObjectId || value instanceof Boolean) {
            return value;
        }
        // The matcher's number equality (Utils.normalizeValue): a double unless a long has no exact double.
        if (value instanceof Integer number) {
            return Double.valueOf(number);
        }
        if (value instanceof Long number) {
            return number != (long) number.doubleValue() ? number : Double.valueOf(number.doubleValue());
        }
        if (value instanceof Double number) {
            return number == 0.0 ? Double.valueOf(0.0) : number; // -0.0 equals 0.0
        }
        return null;
    }

    /** The key a value is ordered by in a range, or null when its order is not unambiguous. */
    static Object orderKey(Object value) {
        if (value instanceof Instant) {
            return value;
        }
        if (value instanceof String text) {
            for (int i = 0; i < text.length(); i++) {
                if (Character.isSurrogate(text.charAt(i))) {
                    return null;
                }
            }
            return text;
        }
        return null;
    }

    /** The keys a condition pins a key to (one for equality, several for $in), or null when it pins none. */
    private static List<Object> pinned(Object condition) {
        if (condition == null) {
            return List.of(NULL_OR_MISSING);
        }
        Object key = bucketKey(condition);
        if (key != null) {
            return List.of(key);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            if (operators.containsKey("$eq") && !(operators.get("$eq") instanceof Document)) {
                return pinned(operators.get("$eq"));
            }
            if (operators.get("$in") instanceof Collection<?> values) {
                Set<Object> keys = new java.util.LinkedHashSet<>();
                for (Object value : values) {
                    Object valueKey = value == null ? NULL_OR_MISSING : bucketKey(value);
                    if (valueKey == null) {
                        return null;
                    }
                    keys.add(valueKey);
                }
                return new ArrayList<>(keys);
            }
        }
        return null;
    }

    /** How far this index narrows the query: pinned keys from the first one on, then a range. */
    Shape shape(Document query) {
        List<List<Object>> prefixes = List.of(List.of());
        int length = 0;
        while (length < keyNames.length && query.containsKey(keyNames[length])) {
            List<Object> values = pinned(query.get(keyNames[length]));
            if (values == null || (long) prefixes.size() * values.size() > MAX_PREFIXES) {
                break;
            }
            List<List<Object>> longer = new ArrayList<>(prefixes.size() * values.size());
            for (List<Object> prefix : prefixes) {
                for (Object value : values) {
                    List<Object> next = new ArrayList<>(prefix.size() + 1);
                    next.addAll(prefix);
                    next.add(value);
                    longer.add(next);
                }
            }
            prefixes = longer;
            length++;
        }
        Range range = length < keyNames.length ? Range.of(query.get(keyNames[length])) : null;
        return new Shape(prefixes, length, range);
    }

    /** The position sets whose union holds every document the shape can match. */
    private List<Collection<Integer>> parts(Shape shape) {
        List<Collection<Integer>> parts = new ArrayList<>();
        if (shape.length > 0) {
            parts.add(unindexable.get(shape.length - 1));
        }
        for (List<Object> prefix : shape.prefixes) {
            if (shape.range != null) {
                Ordered next = ranges.get(shape.length).get(prefix);
                if (next != null) {
                    next.collect(shape.range, parts);
                }
            } else if (shape.length == 0) {
                parts.add(entries.keySet());
            } else {
                TreeSet<Integer> bucket = buckets.get(shape.length - 1).get(prefix);
                if (bucket != null) {
                    parts.add(bucket);
                }
            }
        }
        return parts;
    }

    /** How many candidates the shape gives, counted up to just past `enough` (a better plan is known by then). */
    synchronized long estimate(Shape shape, long enough) {
        long count = 0;
        for (Collection<Integer> part : parts(shape)) {
            count += part.size();
            if (count > enough) {
                break;
            }
        }
        return count;
    }

    /** The candidates of the shape, ascending: a fresh list, safe to hold while the caller updates or deletes documents. */
    synchronized Positions candidates(Shape shape) {
        return Positions.union(parts(shape));
    }

    private Object valueAt(Document document, String[] path) {
        Object current = document;
        for (String field : path) {
            if (current instanceof Document subdocument) {
                current = subdocument.get(field);
            } else {
                // null: the path ends early (matches a null query); a list or a scalar: leave it to the matcher.
                return current == null ? NULL_OR_MISSING : UNINDEXABLE;
            }
        }
        return current == null ? NULL_OR_MISSING : current;
    }

    private Entry entry(Document document) {
        Object[] values = new Object[paths.length];
        int depth = 0;
        while (depth < paths.length) {
            Object value = valueAt(document, paths[depth]);
            Object key = value == NULL_OR_MISSING ? value : bucketKey(value);
            if (key == null) {
                return new Entry(Arrays.copyOf(values, depth), orderKey(value));
            }
            values[depth++] = key;
        }
        return new Entry(values, null);
    }

    private static List<Object> prefix(Object[] values, int length) {
        // Arrays.asList, not List.of: List.of(Object[]) may bind to List.of(E) and wrap the array.
        return Arrays.asList(Arrays.copyOf(values, length));
    }

    /** The order key of k(j+1) for a document whose first j keys are bucketed. */
    private static Object nextKey(Entry entry, int j) {
        return j < entry.values.length ? orderKey(entry.values[j]) : entry.next;
    }

    private void link(Integer position, Entry entry) {
        Object[] values = entry.values;
        for (int j = 0; j < paths.length; j++) {
            if (j <= values.length) {
                ranges.get(j).computeIfAbsent(prefix(values, j), k -> new Ordered()).add(nextKey(entry, j), position);
            }
            if (j < values.length) {
                buckets.get(j).computeIfAbsent(prefix(values, j + 1), k -> new TreeSet<>()).add(position);
            } else {
                unindexable.get(j).add(position);
            }
        }
    }

    private void unlink(Integer position, Entry entry) {
        Object[] values = entry.values;
        for (int j = 0; j < paths.length; j++) {
            if (j <= values.length) {
                Map<List<Object>, Ordered> level = ranges.get(j);
                List<Object> key = prefix(values, j);
                Ordered next = level.get(key);
                if (next != null) {
                    next.remove(nextKey(entry, j), position);
                    if (next.isEmpty()) {
                        level.remove(key);
                    }
                }
            }
            if (j < values.length) {
                Map<List<Object>, TreeSet<Integer>> level = buckets.get(j);
                List<Object> key = prefix(values, j + 1);
                TreeSet<Integer> bucket = level.get(key);
                if (bucket != null && bucket.remove(position) && bucket.isEmpty()) {
                    level.remove(key);
                }
            } else {
                unindexable.get(j).remove(position);
            }
        }
    }

    synchronized void forget(Integer position) {
        Entry entry = entries.remove(position);
        if (entry != null) {
            unlink(position, entry);
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
        Entry entry = entry(document);
        entries.put(position, entry);
        link(position, entry);
    }

    @Override
    public synchronized Integer remove(Document document) {
        // The collection's removeDocument(Integer) calls forget() with the exact position; null
        // plus sparse = true makes the library skip this index here, as it does for EmptyIndex.
        return null;
    }

    /**
     * The library asks each index in turn; the collection's first PrefixIndex answers for all of
     * them (Plan picks among them), unless an exact index of the library can take the query.
     */
    @Override
    public boolean canHandle(Document query) {
        IndexedMemoryCollection collection = owner;
        if (collection == null) {
            return false;
        }
        List<Index<Integer>> indexes = collection.getIndexes();
        PrefixIndex first = null;
        for (Index<Integer> index : indexes) {
            if (index instanceof PrefixIndex prefixIndex) {
                first = first == null ? prefixIndex : first;
            } else if (index.canHandle(query)) {
                return false;
            }
        }
        return first == this && collection.plan(query) != null;
    }

    @Override
    public Iterable<Integer> getPositions(Document query) {
        IndexedMemoryCollection collection = owner;
        Plan plan = collection == null ? null : collection.plan(query);
        if (plan == null) {
            // Not reached through canHandle; every document is a candidate.
            synchronized (this) {
                return Positions.union(List.of(entries.keySet()));
            }
        }
        return plan.positions();
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
        Entry before = entries.get(position);
        Entry after = entry(newDocument);
        if (before != null && before.sameAs(after)) {
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
        ranges.forEach(Map::clear);
        owner = null;
    }

    @Override
    public boolean isUnique() {
        return false;
    }
}

/**
 * How a query's candidates are found among a collection's PrefixIndexes: the index whose shape
 * gives the fewest candidates, or, for a top-level $or whose every branch (with the rest of the
 * query) some index narrows, the union of the branches' candidates when that is fewer. Null: no
 * index narrows the query, so the collection scans.
 */
final class Plan {
    private final List<PrefixIndex.Shape> shapes;
    final long estimate;

    private Plan(List<PrefixIndex.Shape> shapes, long estimate) {
        this.shapes = shapes;
        this.estimate = estimate;
    }

    static Plan of(List<Index<Integer>> indexes, Document query) {
        Plan best = null;
        for (Index<Integer> index : indexes) {
            if (index instanceof PrefixIndex prefixIndex) {
                PrefixIndex.Shape shape = prefixIndex.shape(query);
                if (shape.narrows()) {
                    long estimate = prefixIndex.estimate(shape, best == null ? Long.MAX_VALUE : best.estimate);
                    if (best == null || estimate < best.estimate) {
                        best = new Plan(List.of(shape), estimate);
                    }
                }
            }
        }
        if (query.get("$or") instanceof List<?> branches && !branches.isEmpty()) {
            Plan union = union(indexes, query, branches);
            if (union != null && (best == null || union.estimate < best.estimate)) {
                best = union;
            }
        }
        return best;
    }

    private static Plan union(List<Index<Integer>> indexes, Document query, List<?> branches) {
        List<PrefixIndex.Shape> shapes = new ArrayList<>();
        long estimate = 0;
        for (Object branch : branches) {
            if (!(branch instanceof Document conditions)) {
                return null;
            }
            // The rest of the query AND the branch; where both name a key, the branch's condition
            // alone (a weaker filter, so still a superset).
            Document merged = new Document();
            query.forEach((key, value) -> {
                if (!key.equals("$or")) {
                    merged.put(key, value);
                }
            });
            merged.putAll(conditions);
            Plan plan = of(indexes, merged);
            if (plan == null) {
                return null;
            }
            shapes.addAll(plan.shapes);
            estimate += plan.estimate;
        }
        return new Plan(shapes, estimate);
    }

    PrefixIndex.Positions positions() {
        if (shapes.size() == 1) {
            return shapes.get(0).index().candidates(shapes.get(0));
        }
        List<PrefixIndex.Positions> parts = new ArrayList<>(shapes.size());
        for (PrefixIndex.Shape shape : shapes) {
            parts.add(shape.index().candidates(shape));
        }
        return PrefixIndex.Positions.union(parts);
    }
}
