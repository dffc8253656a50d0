package dev.meridian.protocol.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzz input for a stream reader: bytes 0 and 1 are the sizes of the pieces the stream is cut
 * into, alternately (0 means "all the rest"), and the stream follows. So {@code 00 00} + stream
 * arrives whole and {@code 01 01} + stream one byte at a time, and the fuzzer can steer where
 * message headers split across reads. Inputs shorter than two bytes are an empty stream.
 */
public record ChunkedInput(byte[] stream, int firstSize, int secondSize) {
    public static ChunkedInput of(byte[] data) {
        if (data.length < 2) {
            return new ChunkedInput(new byte[0], 0, 0);
        }
        return new ChunkedInput(Arrays.copyOfRange(data, 2, data.length), data[0] & 0xFF, data[1] & 0xFF);
    }

    public List<byte[]> pieces() {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int n = 0; at < stream.length; n++) {
            int size = n % 2 == 0 ? firstSize : secondSize;
            int end = size == 0 ? stream.length : Math.min(stream.length, at + size);
            pieces.add(Arrays.copyOfRange(stream, at, end));
            at = end;
        }
        return pieces;
    }
}
