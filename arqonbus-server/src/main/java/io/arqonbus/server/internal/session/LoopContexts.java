package io.arqonbus.server.internal.session;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The {@link LoopContext} of every event loop of the bus, indexed 0…n-1. */
public final class LoopContexts {
    private final List<LoopContext> byIndex;
    private final Map<EventLoop, LoopContext> byLoop;

    public LoopContexts(EventLoopGroup group) {
        List<LoopContext> list = new ArrayList<>();
        Map<EventLoop, LoopContext> map = new IdentityHashMap<>();
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            LoopContext context = new LoopContext(list.size(), loop);
            list.add(context);
            map.put(loop, context);
        }
        this.byIndex = List.copyOf(list);
        this.byLoop = map;
    }

    /** How many loops there are. */
    public int size() {
        return byIndex.size();
    }

    /** The context with this index. */
    public LoopContext get(int index) {
        return byIndex.get(index);
    }

    /** The context of this loop. */
    public LoopContext of(EventLoop loop) {
        LoopContext context = byLoop.get(loop);
        if (context == null) {
            throw new IllegalArgumentException("not a bus event loop: " + loop);
        }
        return context;
    }
}
