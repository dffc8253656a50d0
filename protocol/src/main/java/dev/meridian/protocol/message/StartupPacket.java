package dev.meridian.protocol.message;

/**
 * The first packet of a connection: it has a length but no type byte, and a 32-bit code in
 * place of the type tells which one it is (protocol version, or one of the magic request codes).
 */
public sealed interface StartupPacket permits StartupMessage, SslRequest, GssEncRequest, CancelRequest {
    int SSL_REQUEST_CODE = 80877103;      // 1234 << 16 | 5679
    int GSSENC_REQUEST_CODE = 80877104;   // 1234 << 16 | 5680
    int CANCEL_REQUEST_CODE = 80877102;   // 1234 << 16 | 5678
}
