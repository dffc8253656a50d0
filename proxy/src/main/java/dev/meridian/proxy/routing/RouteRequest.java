package dev.meridian.proxy.routing;

import dev.meridian.protocol.ProtocolException;
import dev.meridian.protocol.SqlState;
import java.util.Map;
import java.util.Objects;

/**
 * What the router is asked: a database, and what the client told Meridian about itself.
 *
 * @param client       the client's address, or null when there is none to locate by
 * @param pinnedRegion the {@code meridian.region} option, or null
 */
public record RouteRequest(String database, ClientAddress client, String pinnedRegion, SessionTarget target) {

    public static final String REGION_OPTION = "region";
    public static final String TARGET_OPTION = "target";

    public RouteRequest {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(target, "target");
    }

    /**
     * From the {@code meridian.*} startup options ({@code region}, {@code target}); other
     * {@code meridian.*} names are ignored, as PostgreSQL ignores unknown dotted settings.
     *
     * @throws ProtocolException 22023 for a target that is neither {@code read-write} nor
     *                           {@code read-only}
     */
    public static RouteRequest of(String database, ClientAddress client, Map<String, String> meridianOptions) {
        String targetText = meridianOptions.get(TARGET_OPTION);
        SessionTarget target = targetText == null ? SessionTarget.READ_WRITE : SessionTarget.parse(targetText);
        if (target == null) {
            throw new ProtocolException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter"
                    + " \"meridian.target\": \"" + targetText + "\" (use read-write or read-only)");
        }
        return new RouteRequest(database, client, meridianOptions.get(REGION_OPTION), target);
    }
}
