package io.arqonbus.server.internal.cluster;

/** One change of the control plane as published: {@code version|node|kind|field\n<value>} ({@link ClusterControl}). */
record ControlChange(long version, String node, String kind, String field, String value) {

    /** The change a message names, or {@code null} when it is not one. */
    static ControlChange parse(String message) {
        int newline = message.indexOf('\n');
        if (newline < 0) {
            return null;
        }
        String[] header = message.substring(0, newline).split("\\|", 4);
        if (header.length < 4) {
            return null;
        }
        try {
            return new ControlChange(Long.parseLong(header[0]), header[1], header[2], header[3],
                    message.substring(newline + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
