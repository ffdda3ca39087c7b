package io.chainring.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts and times every call of a service interface (e.g. a Thrift {@code Iface}) without
 * touching the handler: {@link #instrument} returns a proxy that records
 * <ul>
 *   <li>{@code <prefix>.requests} → {@code <prefix>_requests_total{op, result}}: one per call;
 *       {@code op} is the method name in snake case, {@code result} is {@code ok}, the snake-case
 *       name of an exception the method declares (e.g. {@code stale_routing}), or {@code error};</li>
 *   <li>{@code <prefix>.request} → {@code <prefix>_request_seconds{op}}: a latency histogram with
 *       fixed buckets from 0.5 ms to 10 s.</li>
 * </ul>
 * Both label sets are bounded by the interface, never by request data. New methods of the
 * interface are counted without code changes.
 */
public final class ServiceMetrics {
    /** Histogram buckets: wide enough for a local read and a slow replicated write. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private ServiceMetrics() {
    }

    /**
     * Wraps {@code target} so every call of {@code iface}'s methods is counted and timed.
     *
     * @param prefix meter name prefix, e.g. {@code chainring.datanode}
     */
    public static <T> T instrument(Class<T> iface, T target, MeterRegistry registry, String prefix) {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(prefix, "prefix");
        if (!iface.isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface");
        }
        Map<Method, Op> ops = new HashMap<>();
        for (Method m : iface.getMethods()) {
            if (m.getDeclaringClass() != Object.class) {
                ops.put(m, new Op(registry, prefix, snakeCase(m.getName())));
            }
        }
        InvocationHandler handler = (proxy, method, args) -> {
            Op op = ops.get(method);
            if (op == null) {
                return invoke(method, target, args); // Object's methods
            }
            long start = System.nanoTime();
            try {
                Object result = invoke(method, target, args);
                op.record("ok", System.nanoTime() - start);
                return result;
            } catch (Throwable t) {
                op.record(resultOf(method, t), System.nanoTime() - start);
                throw t;
            }
        };
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[]{iface}, handler));
    }

    /**
     * Like {@link #instrument} for an asynchronous service interface (a Thrift {@code AsyncIface}):
     * each method's last argument is the callback that answers the call; the call is counted and
     * timed when that callback completes. {@code declaring} is the blocking interface ({@code Iface})
     * whose methods declare the exceptions that name results; {@code observer} also hears every
     * call's latency in nanoseconds.
     */
    public static <T> T instrumentAsync(Class<T> iface, T target, Class<?> declaring, MeterRegistry registry, String prefix,
                                       java.util.function.LongConsumer observer) {
        Objects.requireNonNull(target, "target");
        Map<Method, Op> ops = new HashMap<>();
        Map<String, Method> declared = new HashMap<>();
        for (Method m : declaring.getMethods()) {
            declared.put(m.getName(), m);
        }
        for (Method m : iface.getMethods()) {
            if (m.getDeclaringClass() != Object.class) {
                ops.put(m, new Op(registry, prefix, snakeCase(m.getName())));
            }
        }
        InvocationHandler handler = (proxy, method, args) -> {
            Op op = ops.get(method);
            if (op == null || args == null || !(args[args.length - 1] instanceof org.apache.thrift.async.AsyncMethodCallback<?>)) {
                return invoke(method, target, args);
            }
            long start = System.nanoTime();
            Method signature = declared.getOrDefault(method.getName(), method);
            @SuppressWarnings("unchecked")
            org.apache.thrift.async.AsyncMethodCallback<Object> done = (org.apache.thrift.async.AsyncMethodCallback<Object>) args[args.length - 1];
            Object[] wrapped = args.clone();
            wrapped[args.length - 1] = new org.apache.thrift.async.AsyncMethodCallback<Object>() {
                @Override
                public void onComplete(Object response) {
                    long nanos = System.nanoTime() - start;
                    op.record("ok", nanos);
                    observer.accept(nanos);
                    done.onComplete(response);
                }

                @Override
                public void onError(Exception e) {
                    long nanos = System.nanoTime() - start;
                    op.record(resultOf(signature, e), nanos);
                    observer.accept(nanos);
                    done.onError(e);
                }
            };
            return invoke(method, target, wrapped);
        };
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[]{iface}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A declared, specific exception names the result; anything else is an "error". */
    static String resultOf(Method method, Throwable t) {
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared == t.getClass() && !declared.getSimpleName().equals("TException")
                    && declared != Exception.class) {
                return snakeCase(declared.getSimpleName());
            }
        }
        return "error";
    }

    /** {@code compareAndSet} → {@code compare_and_set}, {@code StaleRouting} → {@code stale_routing}. */
    static String snakeCase(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One method's meters; counters per result are created on first use (the set is bounded). */
    private static final class Op {
        private final MeterRegistry registry;
        private final String prefix;
        private final String name;
        private final Timer latency;
        private final Map<String, Counter> counts = new ConcurrentHashMap<>();

        Op(MeterRegistry registry, String prefix, String name) {
            this.registry = registry;
            this.prefix = prefix;
            this.name = name;
            this.latency = Timer.builder(prefix + ".request")
                    .description("Latency of requests, by operation")
                    .tag("op", name)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            counter("ok"); // so that rate() works from the first scrape
        }

        void record(String result, long nanos) {
            latency.record(Duration.ofNanos(nanos));
            counter(result).increment();
        }

        private Counter counter(String result) {
            return counts.computeIfAbsent(result, r -> Counter.builder(prefix + ".requests")
                    .description("Requests, by operation and result")
                    .tag("op", name).tag("result", r)
                    .register(registry));
        }
    }
}
