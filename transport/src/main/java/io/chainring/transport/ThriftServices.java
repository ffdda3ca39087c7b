package io.chainring.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.thrift.AsyncProcessFunction;
import org.apache.thrift.TProcessor;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;

/**
 * The services one port serves, by name (the prefix of multiplexed method names, "kv:get").
 * A blocking service runs its generated processor on a worker thread; an asynchronous one starts
 * its handler on a worker thread and answers whenever the handler's callback completes, from
 * any thread, holding no thread meanwhile. Methods a service declares inline run (or start) on
 * the connection's event loop instead.
 */
public final class ThriftServices {
    private final Map<String, Service> services;

    private ThriftServices(Map<String, Service> services) {
        this.services = Map.copyOf(services);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> names() {
        return services.keySet();
    }

    Service get(String name) {
        return services.get(name);
    }

    /** One served service. */
    sealed interface Service permits Blocking, Async {
        /** Methods run on the connection's event loop instead of a worker. */
        Set<String> inline();

        default boolean runsInline(String method) {
            return inline().contains(method);
        }
    }

    /** A generated {@code Service.Processor} over a blocking handler. */
    record Blocking(TProcessor processor, Set<String> inline) implements Service {
    }

    /** A generated {@code Service.AsyncProcessor}'s functions bound to their handler. */
    record Async(Map<String, AsyncMethod> methods, Set<String> inline) implements Service {
    }

    /** One asynchronous method (never oneway: every method of ours answers): reads its arguments, starts the handler, encodes the result. */
    static final class AsyncMethod {
        private final AsyncProcessFunction<Object, TBase<?, ?>, Object> function;
        private final Object handler;
        private final ResultCodec codec;

        @SuppressWarnings("unchecked")
        AsyncMethod(AsyncProcessFunction<?, ?, ?> function, Object handler) {
            this.function = (AsyncProcessFunction<Object, TBase<?, ?>, Object>) function;
            this.handler = handler;
            this.codec = ResultCodec.forArgs(function.getEmptyArgsInstance().getClass());
        }

        TBase<?, ?> newArgs() {
            return function.getEmptyArgsInstance();
        }

        ResultCodec codec() {
            return codec;
        }

        void start(TBase<?, ?> args, AsyncMethodCallback<Object> callback) throws TException {
            function.start(handler, args, callback);
        }
    }

    public static final class Builder {
        private final Map<String, Service> services = new LinkedHashMap<>();

        /** A blocking service: its generated {@code Processor}; every method runs on a worker. */
        public Builder blocking(String name, TProcessor processor) {
            return blocking(name, processor, Set.of());
        }

        /**
         * A blocking service whose {@code inline} methods run on the connection's event loop: only
         * methods that never wait for anything but the CPU and the local disk (no network call, no
         * long lock, no fsync), since every connection of the loop waits meanwhile. It saves the
         * two thread hand-offs (to a worker and back) that dominate a short call's cost.
         */
        public Builder blocking(String name, TProcessor processor, Set<String> inline) {
            return add(name, new Blocking(Objects.requireNonNull(processor, "processor"), Set.copyOf(inline)));
        }

        /**
         * An asynchronous service: the functions of its generated {@code AsyncProcessor}
         * ({@code getProcessMapView()}) and the handler they call.
         */
        public <I> Builder async(String name, I handler, Map<String, ? extends AsyncProcessFunction<I, ?, ?>> functions) {
            return async(name, handler, functions, Set.of());
        }

        /**
         * An asynchronous service whose {@code inline} methods start on the connection's event
         * loop (see {@link #blocking(String, TProcessor, Set)} for which methods may).
         */
        public <I> Builder async(String name, I handler, Map<String, ? extends AsyncProcessFunction<I, ?, ?>> functions,
                                 Set<String> inline) {
            Objects.requireNonNull(handler, "handler");
            Map<String, AsyncMethod> methods = new LinkedHashMap<>();
            functions.forEach((method, f) -> methods.put(method, new AsyncMethod(f, handler)));
            return add(name, new Async(Map.copyOf(methods), Set.copyOf(inline)));
        }

        private Builder add(String name, Service service) {
            if (name == null || name.isEmpty() || name.contains(":")) {
                throw new IllegalArgumentException("invalid service name: " + name);
            }
            if (services.putIfAbsent(name, service) != null) {
                throw new IllegalArgumentException("service " + name + " registered twice");
            }
            return this;
        }

        public ThriftServices build() {
            if (services.isEmpty()) {
                throw new IllegalArgumentException("no services to serve");
            }
            return new ThriftServices(services);
        }
    }
}
