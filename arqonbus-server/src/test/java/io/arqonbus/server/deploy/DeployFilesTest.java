package io.arqonbus.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.config.Setting;
import io.arqonbus.server.internal.http.HttpEndpoints;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.Promtool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code deploy/}: the Kubernetes manifests agree with the server (ports, probe paths, every
 * {@code ARQONBUS_*} variable a setting, the termination grace covering the drain, the memory
 * request covering the measured RSS per connection), the alert rules pass {@code promtool check
 * rules}, and every series the rules and the Grafana dashboard query exists on a live server.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final Path BENCHMARKS = Path.of("..", "docs", "benchmarks.md");
    /** Variables the manifests may set that are not server settings: the launcher's, read by logback.xml. */
    private static final Set<String> NOT_SETTINGS = Set.of("ARQONBUS_LOG_FORMAT", "ARQONBUS_LOG_LEVEL");
    private static final Pattern SERIES = Pattern.compile("\\b((?:arqonbus|process|jvm)_[a-z0-9_]+)");

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Map<String, JsonNode> byKindAndName = new HashMap<>();

    @BeforeAll
    static void readManifests() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class)
                        .readValues(new YAMLFactory().createParser(file.toFile()))) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        byKindAndName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
                    }
                }
            }
        }
        assertThat(byKindAndName).containsKeys("StatefulSet/arqonbus", "Service/arqonbus", "PodDisruptionBudget/arqonbus",
                "ServiceMonitor/arqonbus", "StatefulSet/arqonbus-redis", "Service/arqonbus-redis");
    }

    private static JsonNode container() {
        return byKindAndName.get("StatefulSet/arqonbus").path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        container().path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
        return env;
    }

    private static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new HashMap<>();
        container().path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    @Test
    void portsMatchTheServersPortsAndTheServicesNameThem() {
        io.arqonbus.server.config.Listeners defaults = ServerConfig.defaults().listeners();
        Map<String, Integer> ports = containerPorts();
        assertThat(ports).containsEntry("bus", defaults.port()).containsEntry("telemetry", defaults.telemetryPort())
                .containsEntry("http", defaults.httpPort());
        Map<String, String> env = env();
        assertThat(env).containsEntry(Setting.HOST.envVar(), "0.0.0.0")
                .containsEntry(Setting.PORT.envVar(), String.valueOf(ports.get("bus")))
                .containsEntry(Setting.TELEMETRY_PORT.envVar(), String.valueOf(ports.get("telemetry")))
                .containsEntry(Setting.HTTP_PORT.envVar(), String.valueOf(ports.get("http")));
        JsonNode service = byKindAndName.get("Service/arqonbus").path("spec");
        service.path("ports").forEach(p -> assertThat(ports).containsKey(p.path("targetPort").asText()));
        assertThat(service.path("ports")).hasSize(3);
        assertThat(byKindAndName.get("ServiceMonitor/arqonbus").at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(byKindAndName.get("ServiceMonitor/arqonbus").at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    }

    @Test
    void probesUseLivezAndReadyOnTheHttpPort() {
        Set<String> routes = HttpEndpoints.router(null, List::of).paths();
        JsonNode c = container();
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez").isIn(routes);
        assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/livez");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready").isIn(routes);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(c.path(probe).at("/httpGet/port").asText()).as(probe).isEqualTo("http");
        }
    }

    @Test
    void everyServerVariableIsASetting() {
        Set<String> settings = new HashSet<>();
        for (Setting setting : Setting.values()) {
            settings.add(setting.envVar());
            setting.alias().ifPresent(settings::add);
        }
        for (String name : env().keySet()) {
            if (name.startsWith("ARQONBUS_") && !NOT_SETTINGS.contains(name)) {
                assertThat(settings).as("%s is not a server setting", name).contains(name);
            }
        }
        assertThat(env()).containsKeys("ARQONBUS_CLUSTER_URL", "ARQONBUS_NODE_ID");
    }

    @Test
    void theTerminationGraceCoversPreStopAndTheDrain() {
        JsonNode pod = byKindAndName.get("StatefulSet/arqonbus").path("spec").path("template").path("spec");
        JsonNode preStop = container().at("/lifecycle/preStop/exec/command");
        assertThat(preStop.get(0).asText()).isEqualTo("sleep");
        int sleep = preStop.get(1).asInt();
        int grace = Integer.parseInt(env().get(Setting.SHUTDOWN_GRACE.envVar()));
        int closeWait = Integer.parseInt(env().get(Setting.CLOSE_WAIT.envVar()));
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(sleep + grace + closeWait);
        JsonNode pdb = byKindAndName.get("PodDisruptionBudget/arqonbus").path("spec");
        assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/selector/matchLabels")).isEqualTo(
                byKindAndName.get("StatefulSet/arqonbus").at("/spec/template/metadata/labels"));
        assertThat(byKindAndName.get("StatefulSet/arqonbus").at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void theMemoryRequestCoversTheMeasuredRssPerConnection() throws Exception {
        Matcher row = Pattern.compile("\\| 19,000 \\| arqonbus \\| 19,000 \\| [\\d,]+ \\| (\\d+) \\| ([\\d,]+) \\|")
                .matcher(Files.readString(BENCHMARKS));
        assertThat(row.find()).as("the 19,000-connection row of docs/benchmarks.md").isTrue();
        long idle = Long.parseLong(row.group(1)) << 20;
        long perConnection = Long.parseLong(row.group(2).replace(",", ""));
        long connections = Long.parseLong(env().get(Setting.MAX_CONNECTIONS.envVar()));
        String memory = container().at("/resources/requests/memory").asText();
        assertThat(memory).endsWith("Mi");
        long request = Long.parseLong(memory.replace("Mi", "")) << 20;
        assertThat(request).isGreaterThanOrEqualTo(idle + connections * perConnection);
    }

    @Test
    void alertRulesPassPromtool() throws Exception {
        Promtool.Result result = Promtool.require().checkRules(DEPLOY.resolve("monitoring").resolve("alerts.yml"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everySeriesTheRulesAndTheDashboardQueryExists() throws Exception {
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.httpUri("/metrics"))
                .timeout(ArqonBusExtension.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
        Set<String> families = new HashSet<>();
        scrape.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> {
            String name = l.split(" ")[2];
            families.add(name);
            for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_max")) {
                families.add(name + suffix);
            }
        });
        // Counters with a label per reason, registered at their first event (BusMetrics.limitClose).
        families.add("arqonbus_limit_closes_total");
        List<String> queries = new ArrayList<>();
        JsonNode rules = new YAMLMapper().readTree(DEPLOY.resolve("monitoring").resolve("alerts.yml").toFile());
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> queries.add(r.path("expr").asText())));
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("monitoring").resolve("grafana-dashboard.json").toFile());
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThan(20);
        for (String query : queries) {
            Matcher series = SERIES.matcher(query);
            while (series.find()) {
                assertThat(families).as("%s in %s", series.group(1), query).contains(series.group(1));
            }
        }
    }
}
