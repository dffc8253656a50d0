package dev.meridian.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * PostgreSQL's md5 password scheme (src/common/md5_common.c, {@code pg_md5_encrypt()}): the
 * stored secret is {@code "md5" + hex(md5(password + user))}; on the wire the client answers
 * AuthenticationMD5Password's 4-byte salt with {@code "md5" + hex(md5(hex + salt))}, where
 * {@code hex} is the stored secret without its prefix. Strings are hashed as UTF-8.
 */
public final class Md5 {

    private static final String PREFIX = "md5";
    /** "md5" and 32 lowercase hex digits: MD5_PASSWD_LEN in PostgreSQL. */
    private static final int HASH_LENGTH = 35;
    private static final int SALT_LENGTH = 4;

    private Md5() {}

    /** The stored form, as in {@code pg_authid.rolpassword}. */
    public static String passwordHash(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        return PREFIX + md5Hex(utf8(password), utf8(user));
    }

    /** What a client sends in PasswordMessage, computed from the stored hash. */
    public static String clientResponse(String md5StoredHash, byte[] salt) {
        requireStoredHash(md5StoredHash);
        requireSalt(salt);
        return PREFIX + md5Hex(md5StoredHash.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII), salt);
    }

    /** What a client sends in PasswordMessage, computed from the password. */
    public static String clientResponseFromPassword(String user, String password, byte[] salt) {
        return clientResponse(passwordHash(user, password), salt);
    }

    /**
     * Checks a client's PasswordMessage against the stored hash in constant time (PostgreSQL's
     * {@code md5_crypt_verify()} uses strcmp; we need not leak timing).
     */
    public static boolean verify(String md5StoredHash, byte[] salt, String clientResponse) {
        Objects.requireNonNull(clientResponse, "clientResponse");
        byte[] expected = clientResponse(md5StoredHash, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, clientResponse.getBytes(StandardCharsets.UTF_8));
    }

    /** True if {@code secret} is a stored md5 hash (the check PostgreSQL's get_password_type does). */
    public static boolean isStoredHash(String secret) {
        if (secret == null || secret.length() != HASH_LENGTH || !secret.startsWith(PREFIX)) {
            return false;
        }
        return secret.substring(PREFIX.length()).chars()
                .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static void requireStoredHash(String md5StoredHash) {
        if (!isStoredHash(md5StoredHash)) {
            throw new IllegalArgumentException("not an md5 password hash (expected \"md5\" and 32 hex digits)");
        }
    }

    private static void requireSalt(byte[] salt) {
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("md5 salt must be 4 bytes");
        }
    }

    private static String md5Hex(byte[] first, byte[] second) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(first);
            md5.update(second);
            return HexFormat.of().formatHex(md5.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks MD5", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
