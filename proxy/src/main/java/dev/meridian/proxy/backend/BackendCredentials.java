package dev.meridian.proxy.backend;

/**
 * What the proxy logs into a backend with: a user and, when the backend asks for one, a
 * password. {@code toString} never prints the password.
 */
public record BackendCredentials(String user, String password) {
    @Override
    public String toString() {
        return "BackendCredentials[user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
    }
}
