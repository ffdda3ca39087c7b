package io.chainring.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.thrift.AsyncProcessFunction;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBaseProcessor;
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
    private final Map<String, Access> access;
    private final Function<String, TException> refusal;

    private ThriftServices(Map<String, Service> services, Map<String, Access> access, Function<String, TException> refusal) {
        this.services = Map.copyOf(services);
        this.access = Map.copyOf(access);
        this.refusal = refusal;
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

    /** Who may call the service's methods ({@link Access#OPEN} unless set). */
    Access access(String service) {
        return access.getOrDefault(service, Access.OPEN);
    }

    /** Whether some method is for cluster members only. */
    boolean hasMembersOnly() {
        return access.values().stream().anyMatch(Access::membersOnly);
    }

    /** The declared error answering a refused call (or a Thrift application error when the method declares none like it). */
    TException refusal(String message) {
        return refusal.apply(message);
    }

    /** One served service. */
    sealed interface Service permits Blocking, Async {
        /** Methods run on the connection's event loop instead of a worker. */
        Set<String> inline();

        default boolean runsInline(String method) {
            return inline().contains(method);
        }

        /** The method's result codec; null for an unknown method. */
        ResultCodec codec(String method);
    }

    /** A generated {@code Service.Processor} over a blocking handler, with its methods' result codecs (for refusals). */
    record Blocking(TProcessor processor, Set<String> inline, Map<String, ResultCodec> codecs) implements Service {
        static Blocking of(TProcessor processor, Set<String> inline) {
            Map<String, ResultCodec> codecs = new LinkedHashMap<>();
            if (processor instanceof TBaseProcessor<?> generated) {
                generated.getProcessMapView().forEach((method, f) ->
                        codecs.put(method, ResultCodec.forArgs(f.getEmptyArgsInstance().getClass())));
            }
            return new Blocking(processor, Set.copyOf(inline), Map.copyOf(codecs));
        }

        @Override
        public ResultCodec codec(String method) {
            return codecs.get(method);
        }
    }

    /** A generated {@code Service.AsyncProcessor}'s functions bound to their handler. */
    record Async(Map<String, AsyncMethod> methods, Set<String> inline) implements Service {
        @Override
        public ResultCodec codec(String method) {
            AsyncMethod m = methods.get(method);
            return m == null ? null : m.codec();
        }
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
        private final Map<String, Access> access = new LinkedHashMap<>();
        private Function<String, TException> refusal =
                message -> new TApplicationException(TApplicationException.UNKNOWN, "unauthorized: " + message);

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
            return add(name, Blocking.of(Objects.requireNonNull(processor, "processor"), inline));
        }

        /** Who may call {@code service} (registered before or after); {@link Access#OPEN} unless set. */
        public Builder access(String service, Access rule) {
            access.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * The error a refused call is answered with, from its message — a declared exception of
         * the refused methods (e.g. {@code Unauthorized}), so clients see a clear, typed refusal.
         */
        public Builder refusal(Function<String, TException> factory) {
            refusal = Objects.requireNonNull(factory, "factory");
            return this;
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
            if (!services.keySet().containsAll(access.keySet())) {
                throw new IllegalArgumentException("access rules for services not served: " + access.keySet());
            }
            return new ThriftServices(services, access, refusal);
        }
    }
}
