package io.arqonbus.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/** The blocking-call check every server test runs under: a sleep on an event loop is caught and fails the test. */
class BlockingCallsExtensionTest {
    private EventLoopGroup group;

    @BeforeEach
    void loop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sleepingOnAnEventLoopThrowsTheBlockHoundErrorAndFailsTheTest() throws Exception {
        Future<?> task = group.next().submit(() -> {
            Thread.sleep(1);
            return null;
        }).await();

        assertThat(task.cause()).isInstanceOf(BlockingOperationError.class)
                .hasMessageContaining("Blocking call!").hasMessageContaining("sleep");
        // The extension recorded it too, so the test that made it fails after it ran (checked here
        // by hand, which also clears it so that this test passes).
        assertThatThrownBy(() -> BlockingCallsExtension.verifyNoBlockingCalls("this test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("this test blocked on a Netty event loop 1 time(s)")
                .hasCauseInstanceOf(BlockingOperationError.class);
    }

    @Test
    void sleepingOffTheEventLoopsIsAllowed() throws Exception {
        Thread.sleep(1);
        BlockingCallsExtension.verifyNoBlockingCalls("this test");
    }
}
