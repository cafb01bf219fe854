package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A publication as it crosses the nodes' publish/subscribe channel: {@code node|seq|offset|epoch\n<json>},
 * the header naming the node that sent it, that node's sequence number for it, and its position.
 */
record ClusterMessage(String node, long seq, long offset, String epoch, byte[] json) {

    /** The bytes sent for a publication. */
    static byte[] encode(String node, long seq, StreamPosition position, byte[] json) {
        byte[] header = (node + "|" + seq + "|" + position.offset() + "|" + position.epoch() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOf(header, header.length + json.length);
        System.arraycopy(json, 0, message, header.length, json.length);
        return message;
    }

    /**
     * The message read back, or {@code null} when it has no header.
     *
     * @throws NumberFormatException when the header's numbers are not numbers
     */
    static ClusterMessage parse(byte[] message) {
        int newline = indexOf(message, (byte) '\n');
        if (newline < 0) {
            return null;
        }
        String[] header = new String(message, 0, newline, StandardCharsets.UTF_8).split("\\|", 4);
        if (header.length < 4) {
            return null;
        }
        return new ClusterMessage(header[0], Long.parseLong(header[1]), Long.parseLong(header[2]), header[3],
                Arrays.copyOfRange(message, newline + 1, message.length));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
