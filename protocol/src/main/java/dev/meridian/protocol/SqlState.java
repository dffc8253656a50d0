package dev.meridian.protocol;

/** The SQLSTATE codes Meridian itself answers with (PostgreSQL Appendix A). */
public final class SqlState {
    public static final String PROTOCOL_VIOLATION = "08P01";
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    public static final String CONNECTION_FAILURE = "08006";
    public static final String CONNECTION_EXCEPTION = "08000";
    public static final String INVALID_AUTHORIZATION = "28000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    public static final String IDLE_IN_TRANSACTION_SESSION_TIMEOUT = "25P03";

    private SqlState() {
    }
}
