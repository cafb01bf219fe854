package io.arqonbus.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.cli.json.PythonJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arqon history}: {@code GET /api/history} and print the answer. */
@Command(name = "history",
        description = "Print the recent messages of a room or room:channel through the server's HTTP API.")
public final class HistoryCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--room", required = true, paramLabel = "ROOM", description = "Room.")
    String room;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "Channel (default: every stream of the room).")
    String channel;

    @Option(names = "--limit", paramLabel = "N", description = "How many messages (server default 50).")
    Integer limit;

    @Option(names = "--since", paramLabel = "OFFSET", description = "Only the messages after this offset (needs "
            + "--channel).")
    Long since;

    @Option(names = "--reverse", description = "Newest first.")
    boolean reverse;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder("/api/history?room=").append(encode(room));
        if (channel != null) {
            query.append("&channel=").append(encode(channel));
        }
        if (limit != null) {
            query.append("&limit=").append(limit);
        }
        if (since != null) {
            query.append("&since=").append(since);
        }
        if (reverse) {
            query.append("&reverse=true");
        }
        JsonNode answer = ApiCall.send("GET", api.url(parent, query.toString()), null, api.apiKey(parent),
                api.timeout(), api.caFile(parent));
        spec.commandLine().getOut().println(PythonJson.indented(answer));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
