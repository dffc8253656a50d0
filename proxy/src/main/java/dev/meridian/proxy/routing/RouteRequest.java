package dev.meridian.proxy.routing;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the router is asked: a database, and what the client told Meridian about itself.
 *
 * @param client       the client's address, or null when there is none to locate by
 * @param pinnedRegion the {@code meridian.region} option, or null
 * @param target       the {@code meridian.target} option, or null for the rule's {@code target:}
 */
public record RouteRequest(String database, ClientAddress client, String pinnedRegion, SessionTarget target) {

    public static final String REGION_OPTION = "region";
    public static final String TARGET_OPTION = "target";
    /** A read-your-writes floor ({@code X/Y}) for {@code target: auto}: docs/read-routing.md. */
    public static final String MIN_LSN_OPTION = "min_lsn";
    /** Every {@code meridian.*} startup option Meridian understands; any other is a typo. */
    public static final List<String> KNOWN_OPTIONS = List.of(REGION_OPTION, TARGET_OPTION, MIN_LSN_OPTION);

    public RouteRequest {
        Objects.requireNonNull(database, "database");
    }

    /**
     * From the {@code meridian.*} startup options ({@code region}, {@code target}).
     *
     * @throws ProtocolException 22023 for an option Meridian does not know (a misspelled
     *                           {@code meridian.regoin} would otherwise be silently ignored: the
     *                           session would land somewhere the client did not ask for), and for
     *                           a target that is none of {@code read-write}, {@code read-only}, {@code auto}
     */
    public static RouteRequest of(String database, ClientAddress client, Map<String, String> meridianOptions) {
        for (String name : meridianOptions.keySet()) {
            if (!KNOWN_OPTIONS.contains(name)) {
                throw new ProtocolException(SqlState.INVALID_PARAMETER_VALUE, "unrecognized Meridian option \"meridian."
                        + name + "\" (known: " + String.join(", ", KNOWN_OPTIONS.stream().map(o -> "meridian." + o).toList())
                        + ")");
            }
        }
        String targetText = meridianOptions.get(TARGET_OPTION);
        SessionTarget target = targetText == null ? null : SessionTarget.parse(targetText);
        if (targetText != null && target == null) {
            throw new ProtocolException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter"
                    + " \"meridian.target\": \"" + targetText + "\" (use read-write, read-only or auto)");
        }
        String minLsn = meridianOptions.get(MIN_LSN_OPTION);
        if (minLsn != null && dev.meridian.proxy.readrouting.Lsn.parseOrNull(minLsn) == null) {
            throw new ProtocolException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter"
                    + " \"meridian.min_lsn\": \"" + minLsn + "\" (a WAL position X/Y, e.g. 0/16B3748)");
        }
        return new RouteRequest(database, client, meridianOptions.get(REGION_OPTION), target);
    }
}
