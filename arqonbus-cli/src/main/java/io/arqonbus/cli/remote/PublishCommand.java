package io.arqonbus.cli.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.cli.json.PythonJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arqon publish}: {@code POST /api/publish} and print {@code {id, offset, epoch, duplicate}}. */
@Command(name = "publish",
        description = "Publish one message to room:channel through the server's HTTP API and print its position.")
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--room", required = true, paramLabel = "ROOM", description = "Room.")
    String room;

    @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "Channel.")
    String channel;

    @Option(names = "--payload", paramLabel = "JSON", defaultValue = "{}",
            description = "The payload, a JSON object (default ${DEFAULT-VALUE}).")
    String payload;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "message",
            description = "message or event (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Publish at most once per key within the server's dedup window.")
    String idempotencyKey;

    @Option(names = "--durable", description = "Answer only once the store has the message.")
    boolean durable;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode parsed;
        try {
            parsed = JsonMapper.builder().build().readTree(payload);
        } catch (JsonProcessingException e) {
            throw CliException.usage("--payload is not JSON (" + e.getOriginalMessage() + "); quote it for your "
                    + "shell, e.g. --payload '{\"text\":\"hi\"}'");
        }
        if (parsed == null || !parsed.isObject()) {
            throw CliException.usage("--payload must be a JSON object, e.g. --payload '{\"text\":\"hi\"}'");
        }
        ObjectNode body = JsonMapper.builder().build().createObjectNode();
        body.put("room", room);
        body.put("channel", channel);
        body.set("payload", parsed);
        body.put("type", type);
        if (idempotencyKey != null) {
            body.put("idempotency_key", idempotencyKey);
        }
        if (durable) {
            body.put("durable", true);
        }
        JsonNode answer = ApiCall.send("POST", api.url(parent, "/api/publish"), body.toString(), api.apiKey(parent),
                api.timeout(), api.caFile(parent));
        spec.commandLine().getOut().println(PythonJson.indented(answer));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
