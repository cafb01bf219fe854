package io.arqonbus.server.internal.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.hub.MemberDirectory.Member;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The presence entries in Redis and what {@link PresenceScripts#QUERY} answers, read and written:
 * an entry is {@code {"t":tenant,"c":client type,"s":screen name,"j":joined at, epoch ms}} under the
 * member's client id.
 */
final class PresenceEntries {
    private final ObjectMapper json;

    PresenceEntries(ObjectMapper json) {
        this.json = json;
    }

    /** The entry of a member. */
    String entry(Member member) {
        ObjectNode node = json.createObjectNode();
        node.put("t", member.tenant());
        node.put("c", member.clientType());
        node.put("s", member.screenName());
        node.put("j", member.joinedAt().toEpochMilli());
        return node.toString();
    }

    /** The member an entry names, or {@code null} when it is not one this class wrote. */
    Member member(String clientId, String entry) {
        try {
            JsonNode node = json.readTree(entry);
            JsonNode screen = node.path("s");
            return new Member(clientId, node.path("t").asText(""), node.path("c").asText("unknown"),
                    screen.isTextual() ? screen.asText() : null, Instant.ofEpochMilli(node.path("j").asLong()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A {@code count} answer ({@code {channel, n, …}}, a pair per channel and node) summed by channel. */
    static Map<String, Integer> counts(List<Object> answer) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i + 1 < answer.size(); i += 2) {
            int n = ((Long) answer.get(i + 1)).intValue();
            if (n > 0) {
                counts.merge((String) answer.get(i), n, Integer::sum);
            }
        }
        return counts;
    }

    /** A {@code list} answer ({@code {channel, {client id, entry, …}, …}}) by channel, each sorted by client id. */
    Map<String, List<Member>> members(List<Object> answer) {
        Map<String, Map<String, Member>> byChannel = new TreeMap<>();
        for (int i = 0; i + 1 < answer.size(); i += 2) {
            Map<String, Member> members = byChannel.computeIfAbsent((String) answer.get(i),
                    c -> new LinkedHashMap<>());
            List<?> fields = (List<?>) answer.get(i + 1);
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                Member member = member((String) fields.get(f), (String) fields.get(f + 1));
                if (member != null) {
                    members.putIfAbsent(member.clientId(), member);
                }
            }
        }
        Map<String, List<Member>> sorted = new TreeMap<>();
        for (Map.Entry<String, Map<String, Member>> each : byChannel.entrySet()) {
            if (!each.getValue().isEmpty()) {
                List<Member> list = new ArrayList<>(each.getValue().values());
                list.sort(Comparator.comparing(Member::clientId));
                sorted.put(each.getKey(), list);
            }
        }
        return sorted;
    }
}
