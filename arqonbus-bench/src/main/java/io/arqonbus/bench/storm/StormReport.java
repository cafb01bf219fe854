package io.arqonbus.bench.storm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import java.util.ArrayList;
import java.util.List;

/** The result of a reconnect storm: the JSON fields (docs/benchmarks.md) and the errors that make it not ok. */
final class StormReport {
    private StormReport() {
    }

    static Report of(StormWorkload.Plan plan, RunSettings settings, StormContext context, List<StormClient> clients,
            List<StormClient> stormers, long t0, double setupSeconds, long positionsBehind, long behindAfter,
            ServerWatch server) {
        long[] back = sinceDrop(stormers, t0, true);
        long[] recovered = sinceDrop(stormers, t0, false);
        int dropped = stormers.size();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Report.header(json, "reconnect-storm", settings, context.transport());
        json.remove("publish_url");
        json.put("clients", clients.size());
        json.put("channels", plan.channels());
        json.put("fd_limit", plan.fdLimit());
        json.put("auth", plan.jwtSecret() != null ? "jwt-hs256" : "none");
        json.put("publish_per_channel", plan.publishPerChannel());
        json.put("publish_after_restart", plan.publishAfterRestart());
        json.put("backoff_initial_ms", plan.policy().initialDelay().toMillis());
        json.put("backoff_max_ms", plan.policy().maxDelay().toMillis());
        json.put("how", plan.killPid() != null ? (plan.sigterm() ? "sigterm" : "sigkill")
                + (plan.restartCommand() != null ? "+restart-command" : "")
                : plan.restartCommand() != null ? "restart-command" : "external");
        json.put("setup_s", round(setupSeconds));
        json.put("positions_behind", positionsBehind);
        json.put("positions_behind_after", behindAfter);
        json.put("dropped", dropped);
        json.put("back", back.length);
        json.put("recovered", recovered.length);
        json.put("first_back_ms", back.length == 0 ? null : Long.valueOf(back[0]));
        putPercentile(json, "back_99_ms", back, dropped, 0.99);
        putPercentile(json, "back_100_ms", back, dropped, 1.0);
        putPercentile(json, "recovered_99_ms", recovered, dropped, 0.99);
        putPercentile(json, "recovered_100_ms", recovered, dropped, 1.0);
        context.tally().write(json);
        json.put("server_pid", server.pid < 0 ? null : server.pid);
        if (server.fixed && server.probe.pids().size() > 1) {
            var pids = json.putArray("server_pids");
            server.probe.pids().forEach(pids::add);
        }
        if (server.from != null && server.to != null && server.from.known() && server.to.known()) {
            json.put("server_cpu_s", Math.round((server.to.cpuNanos() - server.from.cpuNanos()) / 1e6) / 1000.0);
            json.put("server_rss_bytes", server.to.rssBytes());
        } else {
            json.putNull("server_cpu_s").putNull("server_rss_bytes");
        }
        List<String> errors = new ArrayList<>();
        if (positionsBehind > 0) {
            errors.add(positionsBehind + " clients did not receive their channel's publication before the storm");
        }
        if (dropped < clients.size() && !settings.severalServers()) {
            errors.add((clients.size() - dropped) + " clients never lost their connection");
        }
        if (back.length < dropped) {
            errors.add((dropped - back.length) + " of " + dropped + " clients not back within "
                    + plan.stormTimeout().toSeconds() + " s");
        }
        if (recovered.length < dropped) {
            errors.add((dropped - recovered.length) + " of " + dropped + " clients not recovered within "
                    + plan.stormTimeout().toSeconds() + " s");
        }
        StormTally tally = context.tally();
        if (behindAfter > 0) {
            errors.add(behindAfter + " clients did not get (live or by recovery) their channel's publications after the restart");
        }
        if (tally.gaps.sum() > 0 || tally.duplicates.sum() > 0) {
            errors.add(tally.gaps.sum() + " publications skipped and " + tally.duplicates.sum() + " received twice");
        }
        if (tally.refusedOtherThan1013() > 0) {
            errors.add(tally.refusedOtherThan1013() + " handshakes refused with something other than 1013");
        }
        if (tally.closedAfterWelcomeOtherThan1013() > 0) {
            errors.add(tally.closedAfterWelcomeOtherThan1013() + " connections closed again after their welcome");
        }
        if (tally.notRecovered.sum() > 0) {
            errors.add(tally.notRecovered.sum() + " rejoins answered recovered:false");
        }
        if (tally.rejoinErrors.sum() > 0) {
            errors.add(tally.rejoinErrors.sum() + " joins refused");
        }
        if (tally.otherConnectFailures.sum() > 0) {
            errors.add(tally.otherConnectFailures.sum() + " connects failed other than refused");
        }
        if (!errors.isEmpty()) {
            tally.examples().forEach((kind, text) -> errors.add("first " + kind + " problem: " + text));
        }
        return Report.finish(json, errors);
    }

    /** Milliseconds from the first drop to each client's welcome (or recovery), sorted; only those that got there. */
    private static long[] sinceDrop(List<StormClient> clients, long t0, boolean back) {
        return clients.stream().mapToLong(back ? StormClient::backAt : StormClient::recoveredAt)
                .filter(at -> at != 0).map(at -> Math.max(0, (at - t0) / 1_000_000)).sorted().toArray();
    }

    private static void putPercentile(ObjectNode json, String field, long[] sortedMillis, int total, double share) {
        int needed = (int) Math.ceil(total * share);
        if (needed == 0 || sortedMillis.length < needed) {
            json.putNull(field);
        } else {
            json.put(field, sortedMillis[needed - 1]);
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
