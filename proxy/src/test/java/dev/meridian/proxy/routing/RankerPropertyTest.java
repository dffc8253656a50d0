package dev.meridian.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.BackendRole;
import dev.meridian.proxy.config.BackendTls;
import dev.meridian.proxy.config.Coordinates;
import dev.meridian.proxy.config.DatabaseRule;
import dev.meridian.proxy.config.FlyRegions;
import dev.meridian.proxy.config.Preference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Random regions, backends, health, rules and client locations (seeded: a failure names its
 * seed and replays). Whatever the input, the choice stays inside the allowed regions, is up and
 * of the right role, and no eligible backend is nearer.
 */
class RankerPropertyTest {
    private static final int CASES = 5_000;
    private static final List<String> CODES = List.copyOf(FlyRegions.all().keySet());
    private static final Map<String, Coordinates> REGIONS = FlyRegions.all();

    /** One random routing problem. */
    record World(List<BackendConfig> backends, Map<String, BackendHealth> health, Ranker.Inputs inputs) {
    }

    @Test
    void nearestHealthyAllowedOfTheRightRole() {
        forEachSeed(seed -> {
            Random random = new Random(seed);
            Preference prefer = List.of(Preference.NEAREST, Preference.LOCAL, Preference.region("sin")).get(random.nextInt(3));
            World w = world(random, prefer);
            Ranker.Ranking r = Ranker.rank(w.backends(), w.inputs());
            assertThat(r.ranked().size() + r.excluded().size()).isEqualTo(w.backends().size());
            for (Candidate c : r.ranked()) {
                assertThat(allowed(w, c)).isTrue();
                assertThat(c.health().up()).isTrue();
                if (w.inputs().target() == SessionTarget.READ_WRITE) {
                    assertThat(c.health().isReplica()).isFalse();
                }
            }
            for (Candidate x : r.excluded()) {
                boolean fits = allowed(w, x) && (w.inputs().target() == SessionTarget.READ_ONLY || !x.health().isReplica());
                assertThat(fits && x.health().up()).as("wrongly excluded %s", x).isFalse();
            }
            if (prefer == Preference.NEAREST || w.inputs().location().source() == ClientLocation.Source.PINNED) {
                assertNearestFirst(r.ranked(), w.inputs().target());
            }
        });
    }

    /** Runs {@code check} for every seed; a failure names its seed, which replays it. */
    private static void forEachSeed(LongConsumer check) {
        for (long seed = 0; seed < CASES; seed++) {
            try {
                check.accept(seed);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** Within a role tier the order is by distance, then RTT; read-only puts every replica first. */
    private static void assertNearestFirst(List<Candidate> ranked, SessionTarget target) {
        for (int i = 1; i < ranked.size(); i++) {
            Candidate a = ranked.get(i - 1);
            Candidate b = ranked.get(i);
            int tierA = tier(a, target);
            int tierB = tier(b, target);
            assertThat(tierA).isLessThanOrEqualTo(tierB);
            if (tierA == tierB) {
                assertThat(a.distanceKm()).isLessThanOrEqualTo(b.distanceKm());
                if (a.distanceKm() == b.distanceKm() && b.health().rtt() != null) {
                    assertThat(a.health().rtt()).isNotNull().isLessThanOrEqualTo(b.health().rtt());
                }
            }
        }
    }

    private static int tier(Candidate c, SessionTarget target) {
        return target == SessionTarget.READ_ONLY && !c.health().isReplica() ? 1 : 0;
    }

    @Test
    void failoverExactlyWhenABetterBackendIsDown() {
        forEachSeed(seed -> {
            World w = world(new Random(seed), Preference.NEAREST);
            Ranker.Ranking r = Ranker.rank(w.backends(), w.inputs());
            if (r.ranked().isEmpty()) {
                assertThat(r.reason()).isNull();
                return;
            }
            Candidate chosen = r.ranked().get(0);
            SessionTarget target = w.inputs().target();
            boolean betterWasDown = r.excluded().stream()
                    .filter(x -> x.excluded().equals("down"))
                    .anyMatch(x -> strictlyBetter(x, chosen, target));
            assertThat(r.reason() == RouteReason.FAILOVER).isEqualTo(betterWasDown);
        });
    }

    @Test
    void preferredRegionComesFirstWhenItHasACandidate() {
        forEachSeed(seed -> {
            Random random = new Random(seed);
            String preferred = CODES.get(random.nextInt(CODES.size()));
            World w = world(random, random.nextBoolean() ? Preference.region(preferred) : Preference.LOCAL);
            String first = w.inputs().rule().prefer().kind() == Preference.Kind.LOCAL
                    ? w.inputs().instanceRegion() : preferred;
            Ranker.Ranking r = Ranker.rank(w.backends(), w.inputs());
            List<Candidate> topTier = r.ranked().stream().filter(c -> tier(c, w.inputs().target()) == 0).toList();
            boolean has = topTier.stream().anyMatch(c -> c.region().equals(first));
            if (has && w.inputs().location().source() != ClientLocation.Source.PINNED) {
                assertThat(topTier.get(0).region()).isEqualTo(first);
            }
        });
    }

    /** Role tier, then distance, then RTT (unmeasured worst): better on the first that differs. */
    private static boolean strictlyBetter(Candidate a, Candidate b, SessionTarget target) {
        if (tier(a, target) != tier(b, target)) {
            return tier(a, target) < tier(b, target);
        }
        if (a.distanceKm() != b.distanceKm()) {
            return a.distanceKm() < b.distanceKm();
        }
        long rttA = a.health().rtt() == null ? Long.MAX_VALUE : a.health().rtt().toNanos();
        long rttB = b.health().rtt() == null ? Long.MAX_VALUE : b.health().rtt().toNanos();
        return rttA < rttB;
    }

    private static boolean allowed(World w, Candidate c) {
        List<String> regions = w.inputs().rule().regions();
        return regions.isEmpty() || regions.contains(c.region());
    }

    private static World world(Random random, Preference prefer) {
        List<String> regions = pick(random, CODES, 1 + random.nextInt(6));
        List<BackendConfig> backends = new ArrayList<>();
        Map<String, BackendHealth> health = new HashMap<>();
        int n = 1 + random.nextInt(10);
        for (int i = 0; i < n; i++) {
            String region = regions.get(random.nextInt(regions.size()));
            BackendRole role = BackendRole.values()[random.nextInt(3)];
            BackendConfig b = new BackendConfig("b" + i, region, "h", 5432, role, null, null, BackendTls.DEFAULT);
            backends.add(b);
            Duration rtt = random.nextInt(3) == 0 ? null : Duration.ofMillis(random.nextInt(4));
            health.put(b.name(), new BackendHealth(random.nextInt(4) != 0, role, rtt));
        }
        List<String> allowed = random.nextInt(3) == 0 ? List.of() : pick(random, regions, 1 + random.nextInt(regions.size()));
        DatabaseRule rule = new DatabaseRule("*", allowed, prefer, null);
        SessionTarget target = random.nextBoolean() ? SessionTarget.READ_ONLY : SessionTarget.READ_WRITE;
        String instance = CODES.get(random.nextInt(CODES.size()));
        var inputs = new Ranker.Inputs(rule, location(random), target, instance, REGIONS, HealthSnapshot.of(health));
        return new World(backends, health, inputs);
    }

    /** A random point anywhere (as an mmdb answer would be), or exactly a region, maybe pinned. */
    private static ClientLocation location(Random random) {
        int kind = random.nextInt(4);
        if (kind < 2) {
            String code = CODES.get(random.nextInt(CODES.size()));
            var source = kind == 0 ? ClientLocation.Source.NETWORKS : ClientLocation.Source.PINNED;
            return new ClientLocation(code, REGIONS.get(code), source, "random");
        }
        Coordinates at = new Coordinates(random.nextDouble() * 180 - 90, random.nextDouble() * 360 - 180);
        return new ClientLocation(Distances.nearestRegion(REGIONS, at), at, ClientLocation.Source.MMDB, "random");
    }

    private static List<String> pick(Random random, List<String> from, int count) {
        List<String> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return List.copyOf(copy.subList(0, count));
    }
}
