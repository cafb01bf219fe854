package io.arqonbus.bench.workload;

import io.arqonbus.bench.load.PublishDriver;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.RunSettings;
import java.util.List;

/**
 * A publishing phase's progress: the counts at the end of the warm-up (where the measured window
 * starts, with the server's CPU sample) and the once-a-second progress line each workload writes.
 *
 * @param <D> the workload's publishers
 */
abstract class WarmProgress<D extends PublishDriver> implements Ticks.Listener {
    final RunSettings settings;
    final StatsBoard board;
    final List<D> drivers;
    final long start;
    ServerProbe.Sample cpuAtWarm;
    long warmAt;

    WarmProgress(RunSettings settings, StatsBoard board, List<D> drivers, long start, ServerProbe.Sample cpu) {
        this.settings = settings;
        this.board = board;
        this.drivers = drivers;
        this.start = start;
        this.cpuAtWarm = cpu;
        this.warmAt = start;
    }

    @Override
    public final void warm(long now) {
        warmAt = now;
        countAtWarm();
        cpuAtWarm = settings.probe().sample();
        board.resetLatency();
    }

    /** Takes the workload's own counts the measured window starts from. */
    abstract void countAtWarm();
}
