package dev.jumbo.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model versions serve. {@link #load} reads the repository, loads and warms every version the
 * model's policy selects that is new or changed on disk, and only then swaps the model's version set
 * in one atomic step; versions that dropped out retire in the background (requests already on them
 * finish there). If anything fails, nothing is swapped: the old versions keep serving and the error
 * says why.
 *
 * <pre>{@code
 * ModelManager mm = new ModelManager(repo, metrics);
 * mm.load("fashion");                       // 1 -> serving; later a 2/ appears:
 * mm.load("fashion");                       // 2 loaded, warmed, swapped in; 1 drains and unloads
 * ModelVersion v = mm.acquire("fashion", null);  try { ... } finally { mm.release(v); }
 * }</pre>
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);
    private static final long DRAIN_MILLIS = 30_000;

    /** A model's serving state: its config and loaded versions by number. */
    public record Served(String name, ModelConfig config, NavigableMap<Long, ModelVersion> versions, Canary canary) {}

    private final ModelRepository repo;
    private final ServeMetrics metrics;
    private final Map<String, Served> models = new ConcurrentHashMap<>();
    private final Map<String, String> lastError = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ModelManager(ModelRepository repo, ServeMetrics metrics) {
        this.repo = repo;
        this.metrics = metrics;
    }

    public ModelRepository repository() {
        return repo;
    }

    /** Loads every model in the repository; failures are logged and kept for the index, not thrown. */
    public void loadAll() throws IOException {
        for (String name : repo.models()) {
            try {
                load(name);
            } catch (ServeException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
    }

    /**
     * Loads (or reloads) {@code name}; returns its new serving state.
     *
     * @throws ServeException 404 when the repository has no such model, 400 {@code load_failed} naming
     *     the version and cause when a version fails to load (the previous versions keep serving)
     */
    public Served load(String name) {
        if (!repo.has(name)) {
            throw ServeException.notFound("unknown model '" + name + "': the repository " + repo.root()
                    + " has no such directory");
        }
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            Served old = models.get(name);
            List<ModelVersion> fresh = new ArrayList<>();
            long trying = -1;
            try {
                Path dir = repo.modelDir(name);
                ModelConfig cfg = ModelConfig.read(dir);
                List<Long> selected = cfg.select(repo.versions(name));
                if (selected.isEmpty()) {
                    throw new IllegalArgumentException("no version directory selected by version_policy '"
                            + cfg.policy() + "' among " + repo.versions(name));
                }
                NavigableMap<Long, ModelVersion> next = new TreeMap<>();
                for (long v : selected) {
                    trying = v;
                    String fp = fingerprint(dir, v);
                    ModelVersion have = old == null ? null : old.versions().get(v);
                    if (have != null && have.fingerprint.equals(fp)) {
                        next.put(v, have);
                        continue;
                    }
                    ModelLoader.Loaded loaded = ModelLoader.load(dir.resolve(Long.toString(v)), cfg.inputShape(),
                            cfg.maxBatchSize());
                    if (cfg.gate() != null && old != null && old.versions().lowerEntry(v) != null) {
                        ModelVersion baseline = old.versions().lowerEntry(v).getValue();
                        RegressionGate.Result g = RegressionGate.run(loaded, baseline.loaded,
                                RegressionGate.data(cfg.gateData(), cfg.gate().limit()), cfg.gate());
                        LOG.info("model {} version {} regression gate vs version {}: {}", name, v, baseline.version, g.toMap());
                        if (!g.passed()) {
                            throw new IllegalArgumentException("regression gate vs version " + baseline.version
                                    + " failed: " + String.join("; ", g.failures()));
                        }
                    }
                    String vs = Long.toString(v);
                    ModelVersion mv = new ModelVersion(name, vs, loaded, new Batcher(name, vs, loaded, cfg, metrics), fp,
                            cfg.driftWindow(), metrics);
                    fresh.add(mv);
                    next.put(v, mv);
                }
                for (Map.Entry<String, Long> a : cfg.aliases().entrySet()) {
                    if (!next.containsKey(a.getValue())) {
                        trying = -1;
                        throw new IllegalArgumentException("alias '" + a.getKey() + "' points to version " + a.getValue()
                                + ", which version_policy does not load (loaded " + next.keySet() + ")");
                    }
                }
                Canary canary = cfg.canary() == null ? null : new Canary(name, cfg.aliases().get("champion"),
                        cfg.aliases().get("challenger"), cfg.canary(), metrics);
                Served now = new Served(name, cfg, next, canary);
                models.put(name, now); // the atomic swap
                lastError.remove(name);
                metrics.loads.labelValues(name, "success").inc();
                List<ModelVersion> gone = new ArrayList<>();
                if (old != null) {
                    for (ModelVersion mv : old.versions().values()) {
                        if (next.get(Long.parseLong(mv.version)) != mv) {
                            gone.add(mv);
                        }
                    }
                }
                retireLater(gone);
                LOG.info("model {} serving versions {} (loaded {}, retiring {})", name, next.keySet(),
                        fresh.stream().map(ModelVersion::version).toList(), gone.stream().map(ModelVersion::version).toList());
                return now;
            } catch (IOException | RuntimeException e) {
                for (ModelVersion mv : fresh) {
                    mv.retire(0);
                }
                metrics.loads.labelValues(name, "failure").inc();
                String still = old == null ? "nothing" : "versions " + old.versions().keySet();
                String why = (trying >= 0 ? "version " + trying + ": " : "") + e.getMessage();
                lastError.put(name, why);
                LOG.warn("model {} failed to load: {}; still serving {}", name, why, still);
                throw new ServeException(400, "load_failed", "failed to load model '" + name + "': " + why
                        + "; still serving " + still, e);
            }
        }
    }

    /** Stops serving {@code name}: new requests get 404, started ones finish, then the versions unload. */
    public void unload(String name) {
        if (!ModelRepository.validName(name)) {
            throw ServeException.badRequest("invalid model name '" + name + "'");
        }
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            Served old = models.remove(name);
            if (old == null) {
                throw ServeException.notFound("model '" + name + "' is not loaded");
            }
            lastError.put(name, "unloaded");
            for (ModelVersion mv : old.versions().values()) {
                mv.retire(DRAIN_MILLIS);
            }
            LOG.info("model {} unloaded (versions {})", name, old.versions().keySet());
        }
    }

    private static void retireLater(List<ModelVersion> gone) {
        if (!gone.isEmpty()) {
            Thread.ofVirtual().name("jumbo-retire").start(() -> gone.forEach(mv -> mv.retire(DRAIN_MILLIS)));
        }
    }

    /** Files that decide whether a loaded version is still what is on disk. */
    private static String fingerprint(Path modelDir, long v) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(modelDir.resolve(ModelConfig.FILE), modelDir.resolve(v + "/spec.json"),
                modelDir.resolve(v + "/model.safetensors"))) {
            if (Files.exists(p)) {
                sb.append(Files.getLastModifiedTime(p).toMillis()).append(':').append(Files.size(p)).append(';');
            } else {
                sb.append("-;");
            }
        }
        return sb.toString();
    }

    /** The serving state of {@code name}, or null when it is not loaded. */
    public Served served(String name) {
        return models.get(name);
    }

    /** All loaded models. */
    public Collection<Served> all() {
        return models.values();
    }

    /**
     * Picks and registers a request on {@code version} of {@code name} (null: the newest loaded).
     * The caller must {@link #release} it.
     *
     * @throws ServeException 400 for malformed names or versions, 404 for unknown or unloaded ones
     */
    public ModelVersion acquire(String name, String version) {
        if (!ModelRepository.validName(name)) {
            throw ServeException.badRequest("invalid model name '" + name + "': expected letters, digits, _ . -");
        }
        if (version != null && ModelRepository.parseVersion(version) < 0 && !version.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw ServeException.badRequest("invalid version '" + version + "' of model '" + name
                    + "': expected a non-negative integer or an alias");
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            Served s = models.get(name);
            if (s == null) {
                throw ServeException.notFound("unknown model '" + name + "'" + (repo.has(name) ? " (not loaded)" : ""));
            }
            long v = version == null ? pick(s) : ModelRepository.parseVersion(version);
            if (v < 0) {
                Long a = s.config().aliases().get(version);
                if (a == null) {
                    throw ServeException.notFound("model '" + name + "' has no alias '" + version + "'; aliases: "
                            + s.config().aliases().keySet());
                }
                v = a;
            }
            ModelVersion mv = s.versions().get(v);
            if (mv == null) {
                throw ServeException.notFound("model '" + name + "' has no version " + version + " loaded; loaded: "
                        + s.versions().keySet());
            }
            if (mv.acquire()) {
                return mv;
            }
            Thread.onSpinWait(); // it retired between our read and acquire: the swap has happened, look again
        }
        throw ServeException.unavailable("model '" + name + "' is changing versions; retry");
    }

    /** The version an unversioned request goes to: canary split, else the champion alias, else the newest. */
    private static long pick(Served s) {
        Canary c = s.canary();
        if (c != null) {
            return c.routeToChallenger() ? c.challenger : c.champion;
        }
        Long champion = s.config().aliases().get("champion");
        return champion != null ? champion : s.versions().lastKey();
    }

    public void release(ModelVersion mv) {
        mv.release();
    }

    /** One row per model directory and loaded version: name, version, state and (when not ready) reason. */
    public List<Map<String, String>> index() throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        for (String name : repo.models()) {
            Served s = models.get(name);
            if (s == null) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("state", "UNAVAILABLE");
                row.put("reason", lastError.getOrDefault(name, "not loaded"));
                out.add(row);
                continue;
            }
            for (ModelVersion mv : s.versions().values()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("version", mv.version);
                row.put("state", "READY");
                out.add(row);
            }
        }
        return out;
    }

    /** Retires every version, letting started requests finish (up to the drain timeout). */
    @Override
    public void close() {
        for (String name : List.copyOf(models.keySet())) {
            Served s = models.remove(name);
            if (s != null) {
                s.versions().values().forEach(mv -> mv.retire(DRAIN_MILLIS));
            }
        }
    }
}
