package dev.meridian.proxy.server.admin;

import java.util.List;
import java.util.Map;

/** The parts of an HTTP request an admin route needs. */
public record AdminRequest(String method, String path, Map<String, List<String>> query, String accept) {
}
