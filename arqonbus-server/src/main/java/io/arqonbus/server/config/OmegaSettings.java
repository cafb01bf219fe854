package io.arqonbus.server.config;

import java.util.regex.Pattern;

/**
 * The Tier-Omega lab lane ({@code op.omega.*}), from the {@code ARQONBUS_OMEGA_*} variables.
 *
 * @param enabled       whether the lane answers ({@code ARQONBUS_OMEGA_ENABLED}); off, every command but
 *                      {@code op.omega.status} answers {@code FEATURE_DISABLED}
 * @param labRoom       the room events are broadcast to ({@code ARQONBUS_OMEGA_LAB_ROOM})
 * @param labChannel    the channel events are broadcast to ({@code ARQONBUS_OMEGA_LAB_CHANNEL})
 * @param maxEvents     events kept, oldest dropped first ({@code ARQONBUS_OMEGA_MAX_EVENTS})
 * @param maxSubstrates substrates registered at once ({@code ARQONBUS_OMEGA_MAX_SUBSTRATES})
 */
public record OmegaSettings(boolean enabled, String labRoom, String labChannel, int maxEvents, int maxSubstrates) {
    public static final String DEFAULT_LAB_ROOM = "omega-lab";
    public static final String DEFAULT_LAB_CHANNEL = "signals";
    /** Default events kept: {@value}. */
    public static final int DEFAULT_MAX_EVENTS = 1000;
    /** Default substrates: {@value}. */
    public static final int DEFAULT_MAX_SUBSTRATES = 128;
    /** The largest value of either bound: {@value}. */
    public static final int MAX_BOUND = 1_000_000;
    private static final Pattern ROOM = Pattern.compile("[^\\s:\\p{Cntrl}]{1,128}");
    private static final Pattern CHANNEL = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public OmegaSettings {
        if (labRoom == null || !ROOM.matcher(labRoom).matches()) {
            throw new IllegalArgumentException("omega lab room: '" + labRoom
                    + "' (expected: 1-128 printable characters without white space or ':')");
        }
        if (labChannel == null || !CHANNEL.matcher(labChannel).matches()) {
            throw new IllegalArgumentException("omega lab channel: '" + labChannel
                    + "' (expected: 1-128 printable characters without white space)");
        }
        if (maxEvents < 1 || maxEvents > MAX_BOUND) {
            throw new IllegalArgumentException("omega max events: " + maxEvents + " (expected: 1-" + MAX_BOUND + ")");
        }
        if (maxSubstrates < 1 || maxSubstrates > MAX_BOUND) {
            throw new IllegalArgumentException("omega max substrates: " + maxSubstrates + " (expected: 1-" + MAX_BOUND
                    + ")");
        }
    }

    /** The defaults: the lane off. */
    public static OmegaSettings defaults() {
        return new OmegaSettings(false, DEFAULT_LAB_ROOM, DEFAULT_LAB_CHANNEL, DEFAULT_MAX_EVENTS,
                DEFAULT_MAX_SUBSTRATES);
    }

    public OmegaSettings withEnabled(boolean value) {
        return new OmegaSettings(value, labRoom, labChannel, maxEvents, maxSubstrates);
    }

    public OmegaSettings withLabRoom(String value) {
        return new OmegaSettings(enabled, value, labChannel, maxEvents, maxSubstrates);
    }

    public OmegaSettings withLabChannel(String value) {
        return new OmegaSettings(enabled, labRoom, value, maxEvents, maxSubstrates);
    }

    public OmegaSettings withMaxEvents(int value) {
        return new OmegaSettings(enabled, labRoom, labChannel, value, maxSubstrates);
    }

    public OmegaSettings withMaxSubstrates(int value) {
        return new OmegaSettings(enabled, labRoom, labChannel, maxEvents, value);
    }
}
