package io.chainring.dist.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hosts as network namespaces on one bridge: each host a namespace with its own address on
 * 10.77.0.0/24 (eth0, a veth whose peer sits on a bridge in a namespace of its own, so the
 * machine's own network is never touched). Partitions are iptables DROP rules inside a host's
 * namespace, both directions; {@link #heal} flushes them. {@link #close} deletes every namespace
 * it made (the veths go with them). Needs root, {@code ip} and {@code iptables}.
 */
public final class Network implements AutoCloseable {
    private static final String SUBNET = "10.77.0.";

    private final String prefix;
    private final String bridge;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();

    private Network(String prefix) {
        this.prefix = prefix;
        this.bridge = prefix + "br";
    }

    /** Why this machine cannot run namespaced hosts, or empty when it can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root";
        }
        if (ip() == null) {
            return "no 'ip' command (Debian package iproute2)";
        }
        if (iptables() == null) {
            return "no 'iptables' command (Debian package iptables)";
        }
        String probe = "crprobe" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt());
        try {
            run(ip(), "netns", "add", probe);
            run(ip(), "netns", "del", probe);
        } catch (IOException e) {
            return "network namespaces do not work here: " + e.getMessage();
        }
        return "";
    }

    /** A new, empty network: just the bridge. */
    public static Network create() throws IOException {
        Network n = new Network("cr" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        n.addNamespace(n.bridge);
        run(ip(), "-n", n.bridge, "link", "add", "br0", "type", "bridge");
        run(ip(), "-n", n.bridge, "link", "set", "br0", "up");
        return n;
    }

    /** Adds a host with the next address; returns the address. */
    public String addHost(String name, int lastOctet) throws IOException {
        String ns = namespace(name);
        addNamespace(ns);
        String veth = prefix + "v" + lastOctet;
        String peer = prefix + "p" + lastOctet;
        run(ip(), "link", "add", veth, "type", "veth", "peer", "name", peer);
        run(ip(), "link", "set", veth, "netns", ns);
        run(ip(), "link", "set", peer, "netns", bridge);
        run(ip(), "-n", bridge, "link", "set", peer, "master", "br0");
        run(ip(), "-n", bridge, "link", "set", peer, "up");
        run(ip(), "-n", ns, "link", "set", veth, "name", "eth0");
        String address = SUBNET + lastOctet;
        run(ip(), "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        run(ip(), "-n", ns, "link", "set", "eth0", "up");
        run(ip(), "-n", ns, "link", "set", "lo", "up");
        addresses.put(name, address);
        return address;
    }

    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            throw new IllegalArgumentException("no host " + host);
        }
        return a;
    }

    public String hostOf(String address) {
        return addresses.entrySet().stream().filter(e -> e.getValue().equals(address)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host has address " + address));
    }

    /** The command line that runs {@code command} inside {@code host}'s namespace. */
    public List<String> in(String host, List<String> command) {
        address(host);
        List<String> c = new ArrayList<>(List.of(ip(), "netns", "exec", namespace(host)));
        c.addAll(command);
        return c;
    }

    /** Drops every packet between {@code host} and each of {@code others}, both ways. */
    public void cut(String host, List<String> others) throws IOException {
        String ns = namespace(host);
        for (String other : others) {
            String a = address(other);
            run(ip(), "netns", "exec", ns, iptables(), "-A", "INPUT", "-s", a, "-j", "DROP");
            run(ip(), "netns", "exec", ns, iptables(), "-A", "OUTPUT", "-d", a, "-j", "DROP");
        }
    }

    /** Removes every rule {@link #cut} added in {@code host}. */
    public void heal(String host) throws IOException {
        run(ip(), "netns", "exec", namespace(host), iptables(), "-F");
    }

    public List<String> hosts() {
        return List.copyOf(addresses.keySet());
    }

    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            try {
                run(ip(), "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("could not delete network namespace " + ns + ": " + e.getMessage());
            }
        }
    }

    private String namespace(String host) {
        return prefix + "-" + host;
    }

    private void addNamespace(String ns) throws IOException {
        run(ip(), "netns", "add", ns);
        namespaces.add(ns);
    }

    private static String ip() {
        return Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
    }

    private static String iptables() {
        return Stream.of("/usr/sbin/iptables", "/sbin/iptables").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
