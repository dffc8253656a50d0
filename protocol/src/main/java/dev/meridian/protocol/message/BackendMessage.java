package dev.meridian.protocol.message;

/**
 * The backend messages the proxy reads during login; everything else passes through as a
 * {@link Frame}. Type bytes per the PostgreSQL "Message Formats" chapter.
 */
public sealed interface BackendMessage
        permits Authentication, BackendKeyData, ParameterStatus, ReadyForQuery, ErrorResponse,
        NoticeResponse, NegotiateProtocolVersion {
    byte AUTHENTICATION = 'R';
    byte BACKEND_KEY_DATA = 'K';
    byte PARAMETER_STATUS = 'S';
    byte READY_FOR_QUERY = 'Z';
    byte ERROR_RESPONSE = 'E';
    byte NOTICE_RESPONSE = 'N';
    byte NEGOTIATE_PROTOCOL_VERSION = 'v';
}
