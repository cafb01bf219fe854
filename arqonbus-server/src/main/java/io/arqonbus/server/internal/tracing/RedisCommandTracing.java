package io.arqonbus.server.internal.tracing;

import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Lettuce's tracing hook, answered with OpenTelemetry: a CLIENT span per Redis command (named by
 * the command, e.g. {@code EVALSHA}; {@code db.system.name=redis}, {@code db.operation.name},
 * {@code server.address}, {@code server.port}), the child of the span that was current on the
 * thread that issued it. A command issued outside any span records nothing, so Redis traffic that
 * belongs to no traced publication makes no traces. Arguments are never recorded (they hold
 * payloads).
 */
final class RedisCommandTracing implements Tracing {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");

    private final io.opentelemetry.api.trace.Tracer tracer;
    private final Tracer commands = new Tracer() {
        @Override
        public Tracer.Span nextSpan() {
            return NoCommandSpan.INSTANCE;
        }

        @Override
        public Tracer.Span nextSpan(TraceContext context) {
            if (context instanceof Parent parent && io.opentelemetry.api.trace.Span.fromContext(parent.context())
                    .getSpanContext().isValid()) {
                return new CommandSpan(parent.context());
            }
            return NoCommandSpan.INSTANCE;
        }
    };

    RedisCommandTracing(io.opentelemetry.api.trace.Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public TracerProvider getTracerProvider() {
        return () -> commands;
    }

    @Override
    public TraceContextProvider initialTraceContextProvider() {
        return () -> new Parent(Context.current());
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public boolean includeCommandArgsInSpanTags() {
        return false;
    }

    @Override
    public Endpoint createEndpoint(SocketAddress address) {
        return new Address(address);
    }

    /** The context current where a command was issued. */
    private record Parent(Context context) implements TraceContext {
    }

    private record Address(SocketAddress address) implements Endpoint {
    }

    /** One command's span; the name and endpoint come before {@link #start}. */
    private final class CommandSpan extends Tracer.Span {
        private final Context parent;
        private String name;
        private Address endpoint;
        private io.opentelemetry.api.trace.Span span;

        CommandSpan(Context parent) {
            this.parent = parent;
        }

        @Override
        public Tracer.Span start(RedisCommand<?, ?, ?> command) {
            String operation = command.getType().toString();
            var builder = tracer.spanBuilder(name != null ? name : operation).setSpanKind(SpanKind.CLIENT)
                    .setParent(parent).setAttribute(SYSTEM, "redis").setAttribute(OPERATION, operation);
            if (endpoint != null && endpoint.address() instanceof InetSocketAddress inet) {
                builder.setAttribute(ADDRESS, inet.getHostString()).setAttribute(PORT, (long) inet.getPort());
            }
            span = builder.startSpan();
            if (command instanceof CompleteableCommand<?> completeable) {
                // Lettuce leaves the end to the span: it ends with the command's answer or failure.
                completeable.onComplete((answer, error) -> {
                    if (error != null) {
                        error(error);
                    }
                    finish();
                });
            }
            return this;
        }

        @Override
        public Tracer.Span name(String value) {
            name = value;
            return this;
        }

        @Override
        public Tracer.Span annotate(String value) {
            if (span != null) {
                span.addEvent(value);
            }
            return this;
        }

        @Override
        public Tracer.Span tag(String key, String value) {
            if (span != null && !key.startsWith("redis.args")) {
                span.setAttribute(key, value);
            }
            return this;
        }

        @Override
        public Tracer.Span error(Throwable error) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                span.setAttribute("error.type", error.getClass().getName());
            }
            return this;
        }

        @Override
        public Tracer.Span remoteEndpoint(Endpoint value) {
            if (value instanceof Address address) {
                endpoint = address;
            }
            return this;
        }

        @Override
        public void finish() {
            if (span != null) {
                span.end();
            }
        }
    }

    /** Nothing recorded: no current span where the command was issued. */
    private static final class NoCommandSpan extends Tracer.Span {
        static final NoCommandSpan INSTANCE = new NoCommandSpan();

        @Override
        public Tracer.Span start(RedisCommand<?, ?, ?> command) {
            return this;
        }

        @Override
        public Tracer.Span name(String value) {
            return this;
        }

        @Override
        public Tracer.Span annotate(String value) {
            return this;
        }

        @Override
        public Tracer.Span tag(String key, String value) {
            return this;
        }

        @Override
        public Tracer.Span error(Throwable error) {
            return this;
        }

        @Override
        public Tracer.Span remoteEndpoint(Endpoint value) {
            return this;
        }

        @Override
        public void finish() {
        }
    }
}
