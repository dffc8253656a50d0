package dev.meridian.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version the build stamped into {@code version.properties} (Maven resource filtering), so
 * it is right both in the shaded jar and when run from classes in a build.
 */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"meridian " + number()};
    }

    static String number() {
        Properties props = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = props.getProperty("version", "");
        // Unfiltered (an IDE copying resources itself): say so rather than print "${project.version}".
        return v.isEmpty() || v.startsWith("${") ? "unknown (not built with Maven)" : v;
    }
}
