package io.arqonbus.bench.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * {@code POST /api/publish} over HTTP/1.1 keep-alive: {@code connections} requests in flight at once (a
 * closed loop each, so each keeps one connection busy), bounded by {@code count} messages and by the warm-up
 * plus the duration. A WebSocket subscriber of the channel checks that every acknowledged publication (200)
 * arrived once: {@code lost} = acknowledged but not received after the drain, {@code duplicates}.
 */
public final class HttpPublishWorkload {
    static final String ROOM = "bench";
    static final String CHANNEL = "http";

    private final URI httpUrl;
    private final String apiKey;
    private final int connections;
    private final int count;

    public HttpPublishWorkload(URI httpUrl, String apiKey, int connections, int count) {
        this.httpUrl = httpUrl;
        this.apiKey = apiKey;
        this.connections = connections;
        this.count = count;
    }

    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        String pad = "x".repeat(Math.max(0, settings.payloadBytes() - 16));
        URI publish = httpUrl.resolve("/api/publish");
        ConcurrentHistogram latency = new ConcurrentHistogram(3);
        AtomicInteger next = new AtomicInteger();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> failures = new ArrayList<>();
        BitSet ackedSeqs = new BitSet();
        HttpPublishers.Answers answers = new HttpPublishers.Answers() {
            @Override
            public void answered(int seq, int status, String body, long nanos) {
                latency.recordValue(Math.max(0, nanos));
                if (status == 200) {
                    acked.incrementAndGet();
                    synchronized (ackedSeqs) {
                        ackedSeqs.set(seq);
                    }
                } else {
                    fail("HTTP " + status + ": " + body);
                }
            }

            @Override
            public void failed(int seq, Throwable error) {
                fail("request failed: " + error);
            }

            private void fail(String sentence) {
                failed.incrementAndGet();
                synchronized (failures) {
                    if (failures.size() < 10) {
                        failures.add(sentence);
                    }
                }
            }
        };
        try (HttpSubscriber subscriber = HttpSubscriber.join(settings.uri(), ROOM, CHANNEL, settings.setupTimeout());
                HttpPublishers publishers = new HttpPublishers(settings.threads(), publish, apiKey)) {
            ServerProbe probe = settings.probe();
            long start = System.nanoTime();
            long measureFrom = start + settings.warmup().toNanos();
            long end = measureFrom + settings.duration().toNanos();
            ServerProbe.Sample[] window = new ServerProbe.Sample[2];
            long[] ackedAt = new long[2];
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                loops.add(publishers.start(() -> {
                    int seq = next.getAndIncrement();
                    return seq < count && System.nanoTime() < end ? seq : -1;
                }, seq -> "{\"room\":\"" + ROOM + "\",\"channel\":\"" + CHANNEL + "\",\"payload\":{\"seq\":" + seq
                        + ",\"pad\":\"" + pad + "\"}}", answers).exceptionally(error -> {
                            answers.failed(-1, error);
                            return null;
                        }));
            }
            LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
            window[0] = probe.sample();
            ackedAt[0] = acked.get();
            latency.reset();
            for (long tick = 1; System.nanoTime() < end && !allDone(loops) && tick < 3_700; tick++) {
                LockSupport.parkNanos(Math.min(end - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
                PubSubWorkload.progress(settings, String.format("[http-publish] %4.0fs acked=%d failed=%d received=%d",
                        (System.nanoTime() - measureFrom) / 1e9, acked.get(), failed.get(), subscriber.received()));
            }
            long measuredNanos = Math.min(System.nanoTime(), end) - measureFrom;
            window[1] = probe.sample();
            ackedAt[1] = acked.get();
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                    .completeOnTimeout(null, settings.setupTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(error -> null).join();
            long drainEnd = System.nanoTime() + settings.drain().toNanos();
            while (subscriber.received() < acked.get() && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long lost;
            synchronized (ackedSeqs) {
                lost = ackedSeqs.stream().filter(seq -> !subscriber.has(seq)).count();
            }
            double seconds = measuredNanos / 1e9;
            ObjectNode json = new ObjectMapper().createObjectNode();
            Report.header(json, "http-publish", settings, "http/1.1 keep-alive (netty)");
            Report.publishing(json, settings);
            json.put("http_url", publish.toString());
            json.put("connections", connections);
            json.put("count_limit", count);
            json.put("published", acked.get());
            json.put("publishes_per_second", Math.round((ackedAt[1] - ackedAt[0]) / seconds));
            json.put("failed", failed.get());
            json.put("received", subscriber.received());
            json.put("lost", lost);
            json.put("duplicates", subscriber.duplicates());
            Report.latency(json, latency);
            Report.server(json, probe, window[0], window[1], "publishes_per_server_cpu_s", ackedAt[1] - ackedAt[0],
                    seconds);
            List<String> errors = new ArrayList<>();
            synchronized (failures) {
                errors.addAll(failures);
            }
            if (lost > 0) {
                errors.add(lost + " acknowledged publication(s) never reached the subscriber");
            }
            if (subscriber.duplicates() > 0) {
                errors.add(subscriber.duplicates() + " duplicate deliveries");
            }
            return Report.finish(json, errors);
        }
    }

    private static boolean allDone(List<CompletableFuture<Void>> loops) {
        return loops.stream().allMatch(CompletableFuture::isDone);
    }
}
