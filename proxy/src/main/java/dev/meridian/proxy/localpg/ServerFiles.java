package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Files the servers read: owned by the server user when we run as root (initdb refuses root). */
final class ServerFiles {

    private ServerFiles() {
    }

    /** Writes a file the server user can read even when we, root, create it. */
    static void writeOwned(Path file, String content, StandardOpenOption... options) {
        try {
            Files.writeString(file, content, options);
            giveToServerUser(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void giveToServerUser(Path path) throws IOException {
        if (!ProcessRunner.isRoot()) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(ProcessRunner.SERVER_OS_USER));
        view.setGroup(users.lookupPrincipalByGroupName(ProcessRunner.SERVER_OS_USER));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
