package io.arqonbus.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteScanTest {
    @Test
    void findsMarkersAndReadsNumbers() {
        ByteBuf buf = Unpooled.copiedBuffer("{\"payload\":{\"bp\":7,\"bseq\":123,\"bt\":-45}}", StandardCharsets.UTF_8);
        try {
            int seq = ByteScan.valueIndex(buf, ByteScan.marker("\"bseq\":"), 0);
            assertThat(ByteScan.readLong(buf, seq)).isEqualTo(123);
            assertThat(ByteScan.readLong(buf, ByteScan.valueIndex(buf, ByteScan.marker("\"bt\":"), seq))).isEqualTo(-45);
            assertThat(ByteScan.valueIndex(buf, ByteScan.marker("\"nope\":"), 0)).isEqualTo(-1);
            assertThat(ByteScan.readLong(buf, 0)).isEqualTo(ByteScan.NO_NUMBER);
        } finally {
            buf.release();
        }
    }

    @Test
    void writesAndReadsBackLongs() {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (long value : new long[] {0, 1, 9, 10, 99, 100, 123456789, 999_999_999_999_999_999L, -42}) {
                buf.clear();
                ByteScan.writeLong(buf, value);
                assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
                assertThat(ByteScan.readLong(buf, 0)).isEqualTo(value);
            }
            buf.clear();
            ByteScan.writeLong(buf, Long.MAX_VALUE);
            assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo(Long.toString(Long.MAX_VALUE));
        } finally {
            buf.release();
        }
    }

    @Test
    void findsStringEndsPastEscapes() {
        ByteBuf buf = Unpooled.copiedBuffer("\"a\\\"b\",", StandardCharsets.UTF_8);
        try {
            assertThat(ByteScan.stringEnd(buf, 1)).isEqualTo(5);
        } finally {
            buf.release();
        }
    }

    @Test
    void scansACopiedFrameLikeTheBuffer() {
        byte[] frame = "{\"payload\":{\"bp\":3,\"bseq\":12345,\"bt\":-7,\"pad\":\"xx\"}}   trailing".getBytes(StandardCharsets.UTF_8);
        int length = frame.length - "   trailing".length();

        int at = ByteScan.valueIndex(frame, length, ByteScan.marker("\"bp\":"), 0);
        assertThat(ByteScan.readLong(frame, length, at)).isEqualTo(3);
        int seqAt = ByteScan.valueIndex(frame, length, ByteScan.marker("\"bseq\":"), at);
        assertThat(ByteScan.readLong(frame, length, seqAt)).isEqualTo(12345);
        int timeAt = ByteScan.valueIndex(frame, length, ByteScan.marker("\"bt\":"), seqAt);
        assertThat(ByteScan.readLong(frame, length, timeAt)).isEqualTo(-7);
        assertThat(ByteScan.indexOf(frame, length, ByteScan.marker("trailing"), 0)).isEqualTo(-1);
        assertThat(ByteScan.readLong(frame, length, length)).isEqualTo(ByteScan.NO_NUMBER);
    }
}
